/**
 * MongoDB going away under a connected agent: a subscribe that cannot be checked or replayed is
 * answered UNAVAILABLE (which the reference client retries), never INTERNAL, and the same
 * subscribe succeeds once MongoDB is back.
 */
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { restClient } from '@talk/shared/testing/rest-client';
import { connectTestSocket } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk } from '../../../test/support/fixtures';
import { launchApi, launchGateway, stackEnv } from '../../../test/support/stack';
import { startTcpProxy } from '../../../test/support/tcp-proxy';

describe('MongoDB outage under the gateway', () => {
  it('answers a subscribe it cannot check with UNAVAILABLE, and subscribes again once MongoDB is back', async () => {
    const env = stackEnv('gateway_outage');
    const mongo = new URL(testServersFromEnv().mongoUrl);
    const proxy = await startTcpProxy(mongo.hostname, Number(mongo.port));
    const api = await launchApi(env);
    const gateway = await launchGateway(env, { MONGO_URL: `mongodb://127.0.0.1:${proxy.port}/` });
    const socket = await (async () => {
      const client = restClient(`http://127.0.0.1:${api.port}`);
      const [a, b] = (await createCustomer(client, ['Agent A', 'Agent B'])).agents;
      const talk = await createGroupTalk(client, a, [b]);
      const connected = await connectTestSocket(`ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${encodeURIComponent(a.token)}`);
      await connected.roundTrip();
      return { connected, talkId: talk.id };
    })();
    try {
      await proxy.cut();
      socket.connected.send({ type: 'subscribe', talk_id: socket.talkId, after_seq: 0 });
      // The driver gives up on server selection after 5 s.
      const refused = await socket.connected.next((frame) => frame.type === 'error', 15_000);
      expect(refused).toMatchObject({ code: 'UNAVAILABLE', ref: { type: 'subscribe', talk_id: socket.talkId } });

      await proxy.restore();
      socket.connected.send({ type: 'subscribe', talk_id: socket.talkId, after_seq: 0 });
      expect(await socket.connected.next((frame) => frame.type === 'subscribed', 15_000)).toMatchObject({ talk_id: socket.talkId });
    } finally {
      await socket.connected.close();
      await gateway.stop();
      await api.stop();
      await proxy.close();
    }
  }, 40_000);
});
