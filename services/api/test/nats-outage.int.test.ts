/**
 * NATS going away: a write is still recorded (201), and the outbox relay publishes its event once
 * NATS is back, so a recorded event always reaches the bus.
 */
import { Message } from '@talk/shared/schemas';
import { eventually } from '@talk/shared/testing/eventually';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { expectBody, restClient } from '@talk/shared/testing/rest-client';
import { observeTalkOnBus } from '../../../test/support/bus-observer';
import { createCustomer, createGroupTalk } from '../../../test/support/fixtures';
import { launchApi, stackEnv } from '../../../test/support/stack';
import { startTcpProxy } from '../../../test/support/tcp-proxy';

describe('NATS outage', () => {
  it('records writes while NATS is away and publishes their events once it is back', async () => {
    const nats = new URL(testServersFromEnv().natsUrl);
    const proxy = await startTcpProxy(nats.hostname, Number(nats.port));
    const env = stackEnv('nats_outage');
    const api = await launchApi(env, { NATS_URL: `nats://127.0.0.1:${proxy.port}`, OUTBOX_INTERVAL_MS: '200', OUTBOX_GRACE_MS: '500' });
    const client = restClient(`http://127.0.0.1:${api.port}`);
    const [a, b] = (await createCustomer(client, ['Agent A', 'Agent B'])).agents;
    const talk = await createGroupTalk(client, a, [b]);
    const observer = await observeTalkOnBus(env.iso.subjectPrefix, talk.id);
    const seen = (): string[] => observer.events.flatMap((e) => (e.type === 'message_created' ? [e.data.id] : []));
    try {
      await proxy.cut();
      const posted = expectBody(
        await client.request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'while NATS was away' } }),
        201,
        Message,
      );
      expect(seen()).not.toContain(posted.id);

      await proxy.restore();
      await eventually(() => expect(seen()).toContain(posted.id), 15_000);
      const replayed = await client.request('GET', `/v1.0/talks/${talk.id}/messages`, { token: b.token });
      expect(JSON.stringify(replayed.body)).toContain('while NATS was away');
    } finally {
      await observer.close();
      await api.stop();
      await proxy.close();
    }
  });
});
