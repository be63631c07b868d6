/**
 * The people and talks of a fault case: agents logged in through the load balancer, fresh talks
 * per case with a reference-client socket for every member, and agents that join and leave.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createAccountsApi } from '@talk/client/accounts-api';
import { createTalkApi, type TalkApi } from '@talk/client/talk-api';
import { connectTalkSocket, type TalkSocket } from '@talk/client/talk-socket';
import { record, type SocketRecording } from '../support/socket-recorder';
import { ADMIN_KEY } from '../support/stack';
import type { CheckedTalk, Observer } from './case-checker';
import type { Topology } from './topology';

export const TALKS = 3;
export const MEMBERS_PER_TALK = 3;
const PASSWORD = 'correct horse battery';
/** Clients notice a silent gateway within about a second and a half. */
const CLIENT = {
  backoff: { initialMs: 50, maxMs: 1_000 },
  heartbeat: { intervalMs: 500, timeoutMs: 1_000 },
  handshakeTimeoutMs: 2_000,
} as const;

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly api: TalkApi;
  readonly token: string;
}

export interface CaseSetup {
  readonly talks: readonly (CheckedTalk & { readonly members: readonly Agent[] })[];
  readonly observers: readonly Observer[];
  /** A member of every talk of the case, on one socket subscribed to all of them. */
  readonly watcher: TalkSocket;
  readonly sockets: readonly TalkSocket[];
}

/** `onRetry` hears of every HTTP request the agents' clients repeat. */
export async function createAgents(topology: Topology, count: number, onRetry: () => void): Promise<Agent[]> {
  const accounts = createAccountsApi({ baseUrl: topology.frontUrl });
  const customer = await accounts.createCustomer(ADMIN_KEY, 'Faults Inc');
  const agents: Agent[] = [];
  for (let i = 0; i < count; i += 1) {
    const username = `agent.${i}`;
    const agent = await accounts.createAgent(customer.accesskey, { username, password: PASSWORD, name: `Agent ${i}` });
    const { token } = await accounts.login({ customer_id: customer.id, username, password: PASSWORD });
    agents.push({ id: agent.id, name: agent.name, token, api: createTalkApi({ baseUrl: topology.frontUrl, token, onRetry }) });
  }
  return agents;
}

function openSocket(wsUrl: (token: string) => string, agent: Agent): TalkSocket {
  return connectTalkSocket({
    url: () => wsUrl(agent.token),
    agentId: agent.id,
    followMembership: false,
    history: (talkId, afterSeq) => agent.api.eventsAfter(talkId, afterSeq),
    ...CLIENT,
  });
}

/** Fresh talks for a case: each with its own members plus the watcher, every member on its own socket. */
export async function setUpCase(topology: Topology, agents: readonly Agent[], watcherUrl: (token: string) => string): Promise<CaseSetup> {
  const watcherAgent = agents[TALKS * MEMBERS_PER_TALK];
  if (watcherAgent === undefined) throw new Error('not enough agents for the watcher');
  const talks: (CheckedTalk & { members: Agent[] })[] = [];
  for (let t = 0; t < TALKS; t += 1) {
    const members = agents.slice(t * MEMBERS_PER_TALK, (t + 1) * MEMBERS_PER_TALK);
    const [creator, ...others] = members;
    if (creator === undefined) throw new Error('not enough agents for the talks');
    const talk = await creator.api.createTalk({ name: `Faults ${t}`, participant_ids: [...others, watcherAgent].map((agent) => agent.id) });
    talks.push({ talkId: talk.id, reader: creator.api, members });
  }
  const sockets: TalkSocket[] = [];
  const observers: Observer[] = [];
  const watch = (agent: Agent, talkIds: readonly string[], wsUrl = (token: string) => topology.wsUrl(token)): TalkSocket => {
    const socket = openSocket(wsUrl, agent);
    const recording: SocketRecording = record(socket);
    for (const talkId of talkIds) {
      socket.subscribe(talkId, 0);
      observers.push({ name: `${agent.name} in talk ${talkId}`, talkId, recording });
    }
    sockets.push(socket);
    return socket;
  };
  for (const talk of talks) for (const member of talk.members) watch(member, [talk.talkId]);
  const watcher = watch(
    watcherAgent,
    talks.map((talk) => talk.talkId),
    watcherUrl,
  );
  await Promise.all(sockets.map((socket) => socket.settled(15_000)));
  return { talks, observers, watcher, sockets };
}

/** Agents join the first talk of the case and leave it again, over and over, until stopped. */
export function startChurn(setup: CaseSetup, churners: readonly Agent[]): { stop(): Promise<void> } {
  const talk = setup.talks[0];
  if (talk === undefined) throw new Error('no talk to churn in');
  const owner = talk.reader;
  const stopping = new AbortController();
  const loops = churners.map(async (churner) => {
    while (!stopping.signal.aborted) {
      const participant = await retrying(() => owner.addParticipant(talk.talkId, churner.id));
      await sleep(200);
      await retrying(() => churner.api.removeParticipant(talk.talkId, participant.id));
      await sleep(200);
    }
  });
  return {
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}

/** Repeats an idempotent call through a fault until it succeeds (30 s at most). */
async function retrying<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}
