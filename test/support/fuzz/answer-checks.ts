/**
 * What every answer of the API must be, whatever was asked (CONTRACT.md section 5): never a 5xx;
 * a 4xx is the error envelope with its status, a code of that status and a request id; a 429 says
 * when to retry; a 2xx is a status the route documents, of the documented shape. Written from the
 * contract, not from the API's own error mapping, so that a wrong mapping is caught.
 */
import { z } from 'zod';

/** The contract's codes by HTTP status. */
export const CODES_BY_STATUS: Readonly<Record<number, readonly string[]>> = {
  400: ['INVALID_ARGUMENT'],
  401: ['UNAUTHENTICATED'],
  403: ['PERMISSION_DENIED'],
  404: ['NOT_FOUND'],
  409: ['TALK_CLOSED', 'CONFLICT'],
  413: ['PAYLOAD_TOO_LARGE'],
  429: ['RATE_LIMITED'],
};

const Envelope = z.strictObject({
  error: z.strictObject({
    status: z.number().int(),
    code: z.string(),
    message: z.string().min(1),
    request_id: z.string().min(1),
    details: z.array(z.strictObject({ field: z.string().min(1), problem: z.string().min(1) })).min(1).optional(),
  }),
});

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** What the route documents: its 2xx statuses and their schemas. */
export type DocumentedResponses = Readonly<Record<number, { readonly schema?: z.ZodType }>>;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * The problems with one answer, empty when it keeps the contract. `documented` is undefined for
 * a request that matches no route (or a method the route does not have): only an error may answer it.
 */
export function problemsWith(answer: Answer, documented: DocumentedResponses | undefined): string[] {
  const { status } = answer;
  if (status >= 500) return [`a ${status}: ${answer.text.slice(0, 500)}`];
  const json = parseJson(answer.text);
  if (status >= 200 && status < 300) {
    const response = documented?.[status];
    if (response === undefined) return [`${status} is not a status this route documents`];
    if (response.schema === undefined) return [];
    if (!json.ok) return [`a ${status} that is not JSON`];
    const parsed = response.schema.safeParse(json.value);
    return parsed.success ? [] : [`a ${status} not of the documented shape: ${parsed.error.message}`];
  }
  const codes = CODES_BY_STATUS[status];
  if (codes === undefined) return [`${status} is not a status of the contract`];
  if (!(answer.headers.get('content-type') ?? '').startsWith('application/json')) return [`a ${status} of content type ${answer.headers.get('content-type') ?? 'none'}`];
  if (!json.ok) return [`a ${status} that is not JSON: ${answer.text.slice(0, 200)}`];
  const envelope = Envelope.safeParse(json.value);
  if (!envelope.success) return [`a ${status} not in the envelope: ${envelope.error.message} ${answer.text.slice(0, 300)}`];
  const { error } = envelope.data;
  const problems: string[] = [];
  if (error.status !== status) problems.push(`the envelope says ${error.status} on a ${status}`);
  if (!codes.includes(error.code)) problems.push(`code ${error.code} on a ${status} (expected ${codes.join(' or ')})`);
  if (answer.headers.get('x-request-id') !== error.request_id) problems.push(`request_id ${error.request_id} is not the X-Request-Id header ${answer.headers.get('x-request-id') ?? 'none'}`);
  if (status === 429 && !/^\d+$/.test(answer.headers.get('retry-after') ?? '')) problems.push('a 429 without a Retry-After of whole seconds');
  return problems;
}
