/**
 * One REST request at a time on one keep-alive connection, timed from sending it until its whole
 * answer is in. Plain node:http rather than the reference client: the client's parsing of the
 * answer would be timed with it, and the figure is the service's.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { z } from 'zod';
import type { TimedHttp } from './history-protocol';
import { messageText } from './rest-texts';

interface Answer {
  readonly status: number;
  readonly body: string;
}

const ResultList = z.object({ result: z.array(z.unknown()) }).loose();

/** Far above any sample: a read that scans a whole collection on FerretDB takes tens of seconds. */
const REQUEST_TIMEOUT_MS = 600_000;

/** One connection, kept open between requests, as an agent's browser would. */
const connection = new Agent({ keepAlive: true, maxSockets: 1 });

function send(url: URL, method: TimedHttp['method'], token: string, body: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = request(url, { method, agent: connection, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`${method} ${url.pathname} took over ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.once('error', reject);
    req.end(body);
  });
}

/** Sends the request once and resolves with how long it took, in milliseconds; throws on an unexpected answer. */
export async function timeHttpOnce(spec: TimedHttp, n: number): Promise<number> {
  const url = new URL(spec.url);
  // Made before the clock starts: the body is the client's work.
  const body = spec.method === 'POST' ? JSON.stringify({ text: messageText(n), client_message_id: randomUUID() }) : undefined;
  const started = performance.now();
  const answer = await send(url, spec.method, spec.token, body);
  const elapsed = performance.now() - started;
  if (answer.status !== spec.status) throw new Error(`${spec.method} ${url.pathname}${url.search} answered ${answer.status}, not ${spec.status}: ${answer.body.slice(0, 500)}`);
  if (spec.results !== undefined) {
    const { result } = ResultList.parse(JSON.parse(answer.body));
    if (result.length !== spec.results) throw new Error(`${spec.method} ${url.pathname}${url.search} answered ${result.length} items, not ${spec.results}`);
  }
  return elapsed;
}

/** A GET on the same connection, timed the same way, with its answer for the caller to read after the clock stopped. */
export async function getTimed(url: URL, token: string): Promise<{ readonly ms: number; readonly status: number; readonly body: string }> {
  const started = performance.now();
  const answer = await send(url, 'GET', token, undefined);
  return { ms: performance.now() - started, ...answer };
}
