import { issueToken, verifyToken } from './tokens';

const SECRET = 'unit-test-secret-0123456789';
const claims = {
  agentId: '0b8e8c1a-3f0e-4f43-8c8e-6b0a7b9d6f21',
  customerId: '6f1c1f4e-8a39-4a4b-9b55-0c2f7d1d2e10',
  expiresAt: 2_000,
};

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('agent tokens', () => {
  it('verifies what it issued until it expires', () => {
    const token = issueToken(claims, SECRET, 1_000);
    expect(verifyToken(token, SECRET, 1_999)).toEqual({ ok: true, claims });
    expect(verifyToken(token, SECRET, 2_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token signed with another secret or with a changed payload', () => {
    const token = issueToken(claims, SECRET, 1_000);
    expect(verifyToken(token, 'another-secret-0123456789', 1_500)).toEqual({ ok: false, reason: 'bad_signature' });
    const [header, , signature] = token.split('.');
    const forged = `${header}.${part({ sub: claims.customerId, cid: claims.customerId, iat: 1, exp: 9_999 })}.${signature}`;
    expect(verifyToken(forged, SECRET, 1_500)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses the "none" algorithm and anything that is not three parts', () => {
    const unsigned = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: claims.agentId, cid: claims.customerId, iat: 1, exp: 9_999 })}.`;
    expect(verifyToken(unsigned, SECRET, 1_500)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken('abc', SECRET, 1_500)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken('a.b.c.d', SECRET, 1_500)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyToken('%%%.%%%.%%%', SECRET, 1_500)).toEqual({ ok: false, reason: 'malformed' });
  });
});
