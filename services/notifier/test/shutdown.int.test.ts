/** SIGTERM: the notifier stops pulling, finishes the event in hand, and exits 0. */
import { spawnService } from '../../../test/support/service-process';
import { stackEnv } from '../../../test/support/stack';

describe('notifier shutdown', () => {
  it('exits 0 on SIGTERM and its health endpoint goes away', async () => {
    const env = stackEnv('notifier_shutdown');
    const notifier = await spawnService('notifier', env);
    try {
      expect((await fetch(`http://127.0.0.1:${notifier.port}/readyz`)).status).toBe(200);
      expect(await notifier.terminate()).toBe(0);
      expect(notifier.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['stopping', 'stopped']));
      await expect(fetch(`http://127.0.0.1:${notifier.port}/healthz`)).rejects.toThrow();
    } finally {
      notifier.kill();
    }
  });
});
