import { ConfigError } from '@talk/shared/config';
import { loadApiConfig } from './config';

const valid = {
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  NATS_URL: 'nats://127.0.0.1:4222',
  TALK_ADMIN_KEY: 'admin-key-0123456789',
  JWT_SECRET: 'jwt-secret-0123456789',
};

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
});
