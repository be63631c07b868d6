/**
 * Clients of the presence scenario: one WebSocket per agent, each following the presence of the
 * agents it is given, keeping the newest status it read of each. Clients whose gateway is killed
 * do not reconnect: the scenario measures how soon the survivors read those agents offline.
 * What is awaited is counted as frames arrive (pairs of client and agent not yet read as wanted),
 * never by walking every client on every frame.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import { serveParent } from '../lib/child';
import { PresenceClientsRequest } from './presence-protocol';

const PresenceFrame = z.object({ type: z.literal('presence'), agent_id: z.string(), status: z.string() });

interface Client {
  readonly socket: WebSocket;
  readonly follows: readonly string[];
  readonly status: Map<string, string>;
  open: boolean;
}

/** Which status is awaited of which agents. */
interface Goal {
  readonly wanted: (agentId: string) => string | undefined;
  remaining: number;
  readonly reached: () => void;
}

const clients: Client[] = [];
let goal: Goal | undefined;
let counting = false;
let frames = 0;
let firstOfflineAt = 0;
let lastOfflineAt = 0;
/** Error frames received, and the first few, to say why a goal was not reached. */
let errors = 0;
const errorSamples: string[] = [];

/** Pairs of this client's that are not at the goal yet. */
function unmetOf(client: Client, current: Goal): number {
  let unmet = 0;
  for (const id of client.follows) {
    const wanted = current.wanted(id);
    if (wanted !== undefined && client.status.get(id) !== wanted) unmet += 1;
  }
  return unmet;
}

function onFrame(client: Client, data: Buffer): void {
  const raw: unknown = JSON.parse(data.toString('utf8'));
  const parsed = PresenceFrame.safeParse(raw);
  if (!parsed.success) {
    if (typeof raw === 'object' && raw !== null && 'type' in raw && raw.type === 'error') {
      errors += 1;
      if (errorSamples.length < 3) errorSamples.push(data.toString('utf8').slice(0, 300));
    }
    return;
  }
  const { agent_id: agentId, status } = parsed.data;
  const before = client.status.get(agentId);
  client.status.set(agentId, status);
  if (counting) {
    frames += 1;
    if (status === 'offline') {
      const now = Date.now();
      if (firstOfflineAt === 0) firstOfflineAt = now;
      lastOfflineAt = now;
    }
  }
  const current = goal;
  const wanted = current?.wanted(agentId);
  if (current === undefined || wanted === undefined || !client.open) return;
  if (before !== wanted && status === wanted) current.remaining -= 1;
  else if (before === wanted && status !== wanted) current.remaining += 1;
  if (current.remaining === 0) current.reached();
}

function await_(wanted: (agentId: string) => string | undefined, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const remaining = goal?.remaining ?? 0;
      goal = undefined;
      const read = new Map<string, number>();
      for (const client of clients) for (const id of client.follows) {
        const status = client.status.get(id) ?? 'none';
        if (wanted(id) !== undefined && status !== wanted(id)) read.set(status, (read.get(status) ?? 0) + 1);
      }
      reject(new Error(`${remaining} (client, agent) pairs not read as wanted after ${timeoutMs} ms (${JSON.stringify(Object.fromEntries(read))}); ${clients.filter((c) => !c.open).length} clients closed; ${errors} error frames ${errorSamples.join(' | ')}`));
    }, timeoutMs);
    const current: Goal = {
      wanted,
      remaining: 0,
      reached: () => {
        clearTimeout(timer);
        goal = undefined;
        resolve();
      },
    };
    for (const client of clients) if (client.open) current.remaining += unmetOf(client, current);
    goal = current;
    if (current.remaining === 0) current.reached();
  });
}

async function connect(url: string, follows: readonly string[]): Promise<Client> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const client: Client = { socket, follows, status: new Map(), open: false };
  socket.on('message', (data: Buffer) => onFrame(client, data));
  socket.on('close', () => {
    if (!client.open) return;
    const current = goal;
    if (current !== undefined) current.remaining -= unmetOf(client, current);
    client.open = false;
    if (current?.remaining === 0) current.reached();
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  client.open = true;
  socket.send(JSON.stringify({ type: 'presence_subscribe', agent_ids: follows }));
  return client;
}

serveParent(PresenceClientsRequest, async (request) => {
  switch (request.type) {
    case 'connect': {
      const { agents, urls, follows } = request;
      for (let at = 0; at < agents.length; at += 200) {
        const batch = agents.slice(at, at + 200).map((agent, i) => {
          const index = at + i;
          return connect(`${urls[index % urls.length] ?? ''}?token=${agent.token}`, follows[index] ?? []);
        });
        clients.push(...(await Promise.all(batch)));
      }
      return { connected: clients.length };
    }
    case 'all-online': {
      await await_(() => 'online', request.timeoutMs);
      counting = true;
      frames = 0;
      return { ok: true };
    }
    case 'offline': {
      const dead = new Set(request.agentIds);
      await await_((agentId) => (dead.has(agentId) ? 'offline' : undefined), request.timeoutMs);
      return { lastOfflineAt, firstOfflineAt, frames, clientsWaiting: clients.filter((client) => client.open).length };
    }
    case 'close':
      for (const client of clients) client.socket.terminate();
      return { ok: true };
  }
});
