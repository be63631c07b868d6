import { runService, type RunningService } from './lifecycle';

const config = { logLevel: 'silent' as const, shutdownTimeoutMs: 1_000, devMode: false };

/** Runs a service whose start-up settles as `ready` says; resolves with the exit code and whether it was stopped. */
function run(ready: Promise<void>): Promise<{ code: number; stopped: boolean }> {
  let stopped = false;
  const running: RunningService = {
    ready,
    stop: () => {
      stopped = true;
      return Promise.resolve();
    },
  };
  return new Promise((resolve) => {
    runService({
      name: 'test-service',
      env: {},
      loadConfig: () => config,
      start: () => Promise.resolve(running),
      exit: (code) => resolve({ code, stopped }),
    });
  });
}

describe('runService', () => {
  afterEach(() => {
    // runService listens for SIGTERM and SIGINT, as a process edge does.
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
  });

  it('stops and exits 1 when start-up fails after the service began listening', async () => {
    await expect(run(Promise.reject(new Error('could not subscribe')))).resolves.toEqual({ code: 1, stopped: true });
  });

  it('keeps running while start-up waits or succeeds', async () => {
    let exited = false;
    void run(Promise.resolve()).then(() => {
      exited = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(exited).toBe(false);
  });
});
