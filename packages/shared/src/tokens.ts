/**
 * Agent tokens: JWT, HS256, signed with `JWT_SECRET` (the REST contract (the OpenAPI document at /docs)). The API issues them,
 * the API and the gateway verify them. Only HS256 is accepted: a token naming another algorithm,
 * or none, is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Id } from './schemas';

export interface AgentClaims {
  readonly agentId: string;
  readonly customerId: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

const Header = z.object({ alg: z.literal('HS256'), typ: z.literal('JWT').optional() });
const Payload = z.object({ sub: Id, cid: Id, iat: z.number().int(), exp: z.number().int() });

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function sign(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export function issueToken(claims: AgentClaims, secret: string, issuedAt: number): string {
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub: claims.agentId,
    cid: claims.customerId,
    iat: issuedAt,
    exp: claims.expiresAt,
  })}`;
  return `${input}.${sign(input, secret).toString('base64url')}`;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: AgentClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'bad_signature' | 'expired' };

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined; // not JSON: reported as malformed by the schema check that follows
  }
}

export function verifyToken(token: string, secret: string, nowSeconds: number): TokenCheck {
  const parts = token.split('.');
  const [headerPart, payloadPart, signaturePart] = parts;
  if (parts.length !== 3 || headerPart === undefined || payloadPart === undefined || signaturePart === undefined) {
    return { ok: false, reason: 'malformed' };
  }
  if (!Header.safeParse(decodeJson(headerPart)).success) return { ok: false, reason: 'malformed' };
  const expected = sign(`${headerPart}.${payloadPart}`, secret);
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const payload = Payload.safeParse(decodeJson(payloadPart));
  if (!payload.success) return { ok: false, reason: 'malformed' };
  if (payload.data.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: { agentId: payload.data.sub, customerId: payload.data.cid, expiresAt: payload.data.exp },
  };
}
