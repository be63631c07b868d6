/**
 * Secrets in the environment. A JWT secret is an HS256 key: shorter than the hash's 32 bytes it
 * is guessable offline from one token. Values published in this repository (`.env.example`, the
 * development defaults of `npm run stack`) are known to anyone who reads it, so a service refuses
 * them unless `TALK_DEV_MODE` says it runs on a developer's machine.
 */
import { z } from 'zod';

export const JWT_SECRET_MIN_BYTES = 32;

/** Every secret value this repository publishes; `config.test.ts` checks `.env.example` against it. */
export const PUBLISHED_SECRETS: ReadonlySet<string> = new Set([
  'change-me-to-a-long-random-string',
  'change-me-to-another-long-random-string',
  'dev-admin-key',
  'dev-jwt-secret-for-npm-run-stack-only',
]);

export const jwtSecret = (example: string) =>
  z
    .string({ message: `is required (at least ${JWT_SECRET_MIN_BYTES} bytes), e.g. ${example}` })
    .refine(
      (value) => Buffer.byteLength(value, 'utf8') >= JWT_SECRET_MIN_BYTES,
      `must be at least ${JWT_SECRET_MIN_BYTES} bytes (openssl rand -hex 32 prints 64 characters)`,
    );

/** `TALK_DEV_MODE=1` (or `true`): published development secrets are accepted, with a warning. */
export const devModeFlag = z
  .enum(['0', '1', 'false', 'true'], { message: 'must be 1 or true to turn development mode on, 0 or false (the default) otherwise' })
  .default('0')
  .transform((value) => value === '1' || value === 'true');

/**
 * An object refinement: each of `fields` holding a published value is a problem, unless the
 * environment turned development mode on.
 */
export function refusePublishedSecrets<Field extends string>(fields: readonly Field[]) {
  return (env: Readonly<Record<Field, string>> & { readonly TALK_DEV_MODE: boolean }, context: z.RefinementCtx): void => {
    if (env.TALK_DEV_MODE) return;
    for (const field of fields) {
      if (!PUBLISHED_SECRETS.has(env[field])) continue;
      context.addIssue({
        code: 'custom',
        path: [field],
        message:
          'is a value published in this repository, known to anyone; set a random one (openssl rand -hex 32), ' +
          'or TALK_DEV_MODE=1 on a developer machine',
      });
    }
  };
}
