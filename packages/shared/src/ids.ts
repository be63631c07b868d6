import { createHash, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/**
 * A UUID (version 8, name-based on SHA-256) that is always the same for the same key: the id of
 * something that must be created at most once, such as the message of an idempotent send or the
 * system message of one participant event.
 */
export function idFromKey(namespace: string, ...parts: readonly string[]): string {
  const hash = createHash('sha256').update([namespace, ...parts].join('\u0000')).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x80;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
