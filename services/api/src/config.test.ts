import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Env } from '@talk/shared/config';
import { loadApiConfig } from './config';

const valid = {
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  NATS_URL: 'nats://127.0.0.1:4222',
  TALK_ADMIN_KEY: 'admin-key-0123456789',
  JWT_SECRET: 'jwt-secret-0123456789-0123456789-0123456789',
};

function problemsOf(env: Env): string {
  try {
    loadApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
}

/** `KEY=value` lines of the repository's `.env.example`. */
function envExample(): Record<string, string> {
  const text = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('API configuration', () => {
  it('applies the contract defaults', () => {
    const config = loadApiConfig(valid);
    expect(config).toMatchObject({
      port: 3000,
      mongo: { url: valid.MONGO_URL, db: 'talk' },
      nats: { url: valid.NATS_URL, subjectPrefix: '' },
      logLevel: 'info',
      tokenTtlSeconds: 86_400,
    });
  });

  it('lists every problem at once', () => {
    let thrown: unknown;
    try {
      loadApiConfig({ MONGO_URL: 'postgres://x', PORT: '70000', LOG_LEVEL: 'loud', JWT_SECRET: 'short' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = thrown instanceof ConfigError ? thrown.problems.join('\n') : '';
    for (const name of ['MONGO_URL', 'NATS_URL', 'PORT', 'LOG_LEVEL', 'JWT_SECRET', 'TALK_ADMIN_KEY']) {
      expect(problems).toContain(name);
    }
  });

  it('refuses a JWT secret shorter than 32 bytes, counting bytes, not characters', () => {
    expect(problemsOf({ ...valid, JWT_SECRET: 'x'.repeat(31) })).toMatch(/JWT_SECRET: must be at least 32 bytes/);
    expect(problemsOf({ ...valid, JWT_SECRET: 'é'.repeat(16) })).toBe('');
    expect(problemsOf({ ...valid, JWT_SECRET: 'x'.repeat(32) })).toBe('');
  });

  it('refuses the secrets of .env.example unless development mode is on', () => {
    const example = envExample();
    expect(example.TALK_ADMIN_KEY).toBeDefined();
    const problems = problemsOf(example);
    expect(problems).toMatch(/TALK_ADMIN_KEY: is a value published in this repository/);
    expect(problems).toMatch(/JWT_SECRET: is a value published in this repository/);
    expect(problemsOf({ ...example, TALK_DEV_MODE: '1' })).toBe('');
    expect(loadApiConfig({ ...example, TALK_DEV_MODE: 'true' }).devMode).toBe(true);
  });

  it("refuses the development defaults of npm run stack unless development mode is on", () => {
    const stack = readFileSync(join(__dirname, '../../../scripts/stack.mjs'), 'utf8');
    const defaults: Record<string, string> = Object.fromEntries(
      [...stack.matchAll(/(TALK_ADMIN_KEY|JWT_SECRET): process\.env\.\w+ \?\? '([^']+)'/g)].map((match) => [match[1] ?? '', match[2] ?? '']),
    );
    expect(Object.keys(defaults).sort()).toEqual(['JWT_SECRET', 'TALK_ADMIN_KEY']);
    expect(problemsOf({ ...valid, ...defaults })).toMatch(/TALK_ADMIN_KEY: is a value published.*\n.*JWT_SECRET: is a value published/);
    expect(problemsOf({ ...valid, ...defaults, TALK_DEV_MODE: '1' })).toBe('');
  });

  it('is not in development mode unless asked, and refuses an unclear flag', () => {
    expect(loadApiConfig(valid).devMode).toBe(false);
    expect(problemsOf({ ...valid, TALK_DEV_MODE: 'yes' })).toMatch(/TALK_DEV_MODE/);
  });
});
