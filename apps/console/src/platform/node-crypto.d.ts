// The part of `node:crypto` that @talk/client uses, as the console provides it (random-uuid.ts).
declare module 'node:crypto' {
  export function randomUUID(): string;
}
