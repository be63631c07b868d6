/**
 * The fault topology harness itself: it starts every process, a nats-server restart keeps the
 * JetStream store, an API replica killed with SIGKILL comes back on its port behind the same
 * nginx, a paused gateway answers nothing until resumed, and stop() — or a start that fails
 * halfway — leaves no process behind.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Message } from '@talk/shared/schemas';
import { createSubjects } from '@talk/shared/subjects';
import { eventually } from '@talk/shared/testing/eventually';
import { expectBody } from '@talk/shared/testing/rest-client';
import { connectTestSocket, isEvent } from '@talk/shared/testing/ws-client';
import { createCustomer, createGroupTalk } from '../support/fixtures';
import { nginxBinary } from '../support/front-door';
import { natsServerBinary } from './nats-server';
import { descendantsOf, processAlive } from './process-tree';
import { startTopology, type Topology } from './topology';

const missing = [nginxBinary === undefined ? 'nginx' : '', natsServerBinary === undefined ? 'nats-server' : ''].filter((name) => name !== '');
const withTools = missing.length === 0 ? describe : describe.skip;

async function readyThroughNginx(topology: Topology): Promise<void> {
  await eventually(async () => {
    const response = await topology.rest.request('GET', '/readyz');
    if (response.status !== 200) throw new Error(`GET /readyz through nginx answered ${response.status}`);
  }, 15_000);
}

async function streamExists(natsUrl: string, streamName: string): Promise<boolean> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const name of jsm.streams.names()) names.push(name);
    return names.includes(streamName);
  } finally {
    await nc.close();
  }
}

withTools(`fault topology harness (needs nginx and nats-server${missing.length > 0 ? `; missing: ${missing.join(', ')}` : ''})`, () => {
  it('restarts nats-server and a killed API replica on their ports, pauses a gateway, and stops every process', async () => {
    const before = new Set(descendantsOf(process.pid));
    const topology = await startTopology('faults_smoke', { apis: 1, gateways: 1, notifiers: 1 });
    let started: number[] = [];
    try {
      started = descendantsOf(process.pid).filter((pid) => !before.has(pid));
      const managed = [topology.nats, ...topology.apis, ...topology.gateways, ...topology.notifiers];
      // nginx's master and worker come on top of the managed processes.
      expect(started).toEqual(expect.arrayContaining(managed.map((p) => p.pid())));
      expect(started.length).toBeGreaterThanOrEqual(managed.length + 2);
      await readyThroughNginx(topology);

      const acme = await createCustomer(topology.rest, ['Agent A', 'Agent B']);
      const [a, b] = acme.agents;
      const talk = await createGroupTalk(topology.rest, a, [b]);
      const { streamName } = createSubjects(topology.stack.iso.subjectPrefix);
      expect(await streamExists(topology.natsUrl, streamName)).toBe(true);

      const natsPid = topology.nats.pid();
      await topology.nats.restart();
      expect(topology.nats.pid()).not.toBe(natsPid);
      // Same store folder: the stream the services made is still there.
      expect(await streamExists(topology.natsUrl, streamName)).toBe(true);
      await readyThroughNginx(topology);

      const [api] = topology.apis;
      if (api === undefined) throw new Error('no api replica');
      const apiPid = api.pid();
      await api.kill();
      expect(api.running()).toBe(false);
      expect((await topology.rest.request('GET', '/readyz')).status).toBe(502);
      await api.restart();
      expect(api.pid()).not.toBe(apiPid);
      await readyThroughNginx(topology);

      // After both faults a message still travels REST → MongoDB → NATS → gateway → WebSocket, all through nginx.
      const socket = await connectTestSocket(topology.wsUrl(b.token));
      try {
        socket.send({ type: 'subscribe', talk_id: talk.id });
        await socket.next((frame) => frame.type === 'subscribed');
        const path = `/v1.0/talks/${talk.id}/messages`;
        const message = expectBody(await topology.rest.request('POST', path, { token: a.token, body: { text: 'still here' } }), 201, Message);
        const frame = await socket.next(isEvent('message_created', talk.id), 10_000);
        expect(frame['event']).toMatchObject({ data: { id: message.id } });
      } finally {
        await socket.close();
      }

      const [gateway] = topology.gateways;
      if (gateway === undefined) throw new Error('no gateway replica');
      gateway.pause();
      expect(gateway.paused()).toBe(true);
      await expect(fetch(`http://127.0.0.1:${gateway.port}/readyz`, { signal: AbortSignal.timeout(500) })).rejects.toThrow();
      gateway.resume();
      expect((await fetch(`http://127.0.0.1:${gateway.port}/readyz`)).status).toBe(200);
      // Left paused on purpose: stop() must resume it to stop it.
      gateway.pause();
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${topology.output()}`, { cause: error });
    } finally {
      await topology.stop();
    }
    expect(started.filter(processAlive)).toEqual([]);
    expect(descendantsOf(process.pid).filter((pid) => !before.has(pid))).toEqual([]);
  }, 120_000);

  it('stops what it started when a replica cannot start', async () => {
    const before = new Set(descendantsOf(process.pid));
    await expect(startTopology('faults_bad_start', { apis: 1, gateways: 1, notifiers: 1, env: { api: { JWT_SECRET: 'short' } } })).rejects.toThrow(
      /did not start.*api exited with 1.*JWT_SECRET/s,
    );
    expect(descendantsOf(process.pid).filter((pid) => !before.has(pid))).toEqual([]);
  }, 60_000);
});
