/** A small HTTP client for tests; responses are parsed with the contract's schemas by the caller. */
import type { z } from 'zod';

export interface RestResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** Sent as is, for malformed-body tests (bytes for bodies that are not even UTF-8). */
  readonly rawBody?: string | Uint8Array<ArrayBuffer>;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RestClient {
  readonly baseUrl: string;
  request(method: string, path: string, options?: RequestOptions): Promise<RestResponse>;
}

export function restClient(baseUrl: string): RestClient {
  return {
    baseUrl,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
      let body: string | Uint8Array<ArrayBuffer> | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = text; // not JSON: the test sees the raw text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
  };
}

/** Asserts the status and parses the body with a contract schema, with a readable failure. */
export function expectBody<T>(response: RestResponse, status: number, schema: z.ZodType<T>): T {
  if (response.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) throw new Error(`response does not match the contract: ${parsed.error.message}\n${JSON.stringify(response.body)}`);
  return parsed.data;
}
