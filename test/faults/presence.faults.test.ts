/**
 * Presence under a gateway crash (docs/architecture.md, Presence): a gateway SIGKILLed while its
 * agents are online writes nothing more, and its entries stay in the bucket; the other gateway
 * and the API must still read those agents `offline` within 30 s, from the dead gateway's
 * heartbeat growing old. Default timings (heartbeat 5 s, timeout 20 s, sweep 1 s): the contract's
 * bound is what is asserted, with the real configuration.
 */
import { z } from 'zod';
import { Message, Participant, Presence, ReadState } from '@talk/shared/schemas';
import { eventually } from '@talk/shared/testing/eventually';
import { expectBody } from '@talk/shared/testing/rest-client';
import { connectTestSocket, type Frame, type TestSocket } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk } from '../support/fixtures';
import { nginxBinary } from '../support/front-door';
import { natsServerBinary } from './nats-server';
import { startTopology } from './topology';

const CONTRACT_BOUND_MS = 30_000;
const PresenceList = z.object({ result: z.array(Presence) });
const Participants = z.object({ result: z.array(Participant) });
const isPresenceOf = (agentId: string, status: string) => (frame: Frame) => frame.type === 'presence' && frame['agent_id'] === agentId && frame['status'] === status;

const missing = [nginxBinary === undefined ? 'nginx' : '', natsServerBinary === undefined ? 'nats-server' : ''].filter((name) => name !== '');
const withTools = missing.length === 0 ? describe : describe.skip;

withTools(`presence under faults (needs nginx and nats-server${missing.length > 0 ? `; missing: ${missing.join(', ')}` : ''})`, () => {
  it('reads the agents of a SIGKILLed gateway offline on the other gateway and the API within 30 s, the others still online, and loses no read marker', async () => {
    const topology = await startTopology('faults_presence', { apis: 1, gateways: 2, notifiers: 0 });
    const sockets: TestSocket[] = [];
    try {
      const [victim, survivor] = topology.gateways;
      if (victim === undefined || survivor === undefined) throw new Error('two gateways expected');
      const acme = await createCustomer(topology.rest, ['On the victim', 'Also on the victim', 'On the survivor', 'Watcher']);
      const [first, second, safe, watcherAgent] = acme.agents;
      const url = (token: string, port: number) => `ws://127.0.0.1:${port}/v1.0/ws?token=${encodeURIComponent(token)}`;
      const open = async (token: string, port: number) => {
        const socket = await connectTestSocket(url(token, port));
        sockets.push(socket);
        await socket.roundTrip();
        return socket;
      };
      const watcher = await open(watcherAgent.token, survivor.port);
      const followed = [first.id, second.id, safe.id];
      watcher.send({ type: 'presence_subscribe', agent_ids: followed });
      for (const id of followed) await watcher.next(isPresenceOf(id, 'offline'));
      await open(first.token, victim.port);
      await open(second.token, victim.port);
      await open(safe.token, survivor.port);
      for (const id of followed) await watcher.next(isPresenceOf(id, 'online'), 2_000);

      // A talk the victim's agents read, one of them at the very moment of the kill: markers live
      // in the database, and a gateway that dies takes none of them along.
      const talk = await createGroupTalk(topology.rest, watcherAgent, [first, second]);
      for (const text of ['one', 'two']) {
        expectBody(await topology.rest.request('POST', `/v1.0/talks/${talk.id}/messages`, { token: watcherAgent.token, body: { text } }), 201, Message);
      }
      const markRead = (token: string) => topology.rest.request('POST', `/v1.0/talks/${talk.id}/read`, { token, body: {} });
      const before = expectBody(await markRead(first.token), 200, ReadState);

      const killedAt = Date.now();
      const [, during] = await Promise.all([victim.kill(), markRead(second.token)]);
      const atTheKill = expectBody(during, 200, ReadState);
      await watcher.next(isPresenceOf(first.id, 'offline'), CONTRACT_BOUND_MS + 5_000);
      await watcher.next(isPresenceOf(second.id, 'offline'), 5_000);
      const elapsed = Date.now() - killedAt;
      expect(elapsed).toBeLessThanOrEqual(CONTRACT_BOUND_MS);
      const listed = await eventually(async () => {
        const result = expectBody(await topology.rest.request('GET', `/v1.0/presence?agent_ids=${followed.join(',')}`, { token: watcherAgent.token }), 200, PresenceList).result;
        if (result.some((presence) => presence.agent_id !== safe.id && presence.status !== 'offline')) throw new Error(`not offline yet: ${JSON.stringify(result)}`);
        return result;
      }, 5_000);
      expect(Date.now() - killedAt).toBeLessThanOrEqual(CONTRACT_BOUND_MS);
      expect(listed.map((presence) => [presence.agent_id, presence.status])).toEqual([
        [first.id, 'offline'],
        [second.id, 'offline'],
        [safe.id, 'online'],
      ]);
      const markers = expectBody(await topology.rest.request('GET', `/v1.0/talks/${talk.id}/participants`, { token: watcherAgent.token }), 200, Participants).result;
      expect(markers.find((p) => p.agent_id === first.id)?.last_read_seq).toBe(before.last_read_seq);
      expect(markers.find((p) => p.agent_id === second.id)?.last_read_seq).toBe(atTheKill.last_read_seq);
      const ofSafe = watcher.all((frame) => frame.type === 'presence' && frame['agent_id'] === safe.id);
      expect(ofSafe.map((frame) => frame['status'])).toEqual(['offline', 'online']);
      process.stdout.write(`presence: agents of a SIGKILLed gateway read offline after ${elapsed} ms (bound ${CONTRACT_BOUND_MS} ms)\n`);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${topology.output()}`, { cause: error });
    } finally {
      await Promise.all(sockets.map((socket) => socket.close()));
      await topology.stop();
    }
  }, 120_000);
});
