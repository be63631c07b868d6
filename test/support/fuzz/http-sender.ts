/** Sends a fuzzed request as it is: no default headers, the body as the bytes it is. */
import type { Answer } from './answer-checks';
import type { FuzzRequest } from './http-requests';

export async function send(baseUrl: string, request: FuzzRequest): Promise<Answer> {
  const response = await fetch(`${baseUrl}${request.target}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A request as a failure report shows it: short enough to read, exact enough to replay. */
export function describeRequest(request: FuzzRequest): string {
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : `bytes ${Buffer.from(request.body).toString('hex')}`;
  const headers = JSON.stringify(request.headers).slice(0, 600);
  return `${request.method} ${request.target.slice(0, 600)} (${request.route}) headers ${headers} body ${body.slice(0, 600)}${body.length > 600 ? '…' : ''}`;
}
