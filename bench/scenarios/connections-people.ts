/**
 * The people of the connections benchmark: N agents, each with a token, in group talks of
 * TALK_SIZE. One talk is created through the API; the others, and every further participant, are
 * inserted as copies of its documents, because the API adds participants one request-sized
 * transaction at a time and 19,000 of them would take many minutes on FerretDB. The event logs of
 * the copies stay empty, which the gateway reads as a talk at seq 0.
 */
import { MongoClient } from 'mongodb';
import { newId } from '@talk/shared/ids';
import { COLLECTIONS, type ParticipantDoc, type TalkDoc } from '@talk/store/documents';
import { createTalkOf, populate } from '../lib/population';
import type { Topology } from '../../test/faults/topology';

/** Agents per talk: a team. The gateway's per-talk costs are shared by this many connections. */
export const TALK_SIZE = 100;
const BATCH = 500;

export interface IdleClient {
  readonly token: string;
  readonly talkId: string;
}

/** One client per agent, `count` of them. */
export async function people(topology: Topology, count: number): Promise<IdleClient[]> {
  const { agents } = await populate(topology, count);
  const [first] = agents;
  if (first === undefined) throw new Error('no agents');
  const { talkId: firstTalkId } = await createTalkOf(topology, [first], 'Connections 0');

  const mongo = await MongoClient.connect(topology.stack.env['MONGO_URL'] ?? '');
  try {
    const db = mongo.db(topology.stack.env['MONGO_DB']);
    const talks = db.collection<TalkDoc>(COLLECTIONS.talks);
    const participants = db.collection<ParticipantDoc>(COLLECTIONS.participants);
    const talkTemplate = await talks.findOne({ _id: firstTalkId });
    const participantTemplate = await participants.findOne({ talk_id: firstTalkId, agent_id: first.id });
    if (talkTemplate === null || participantTemplate === null) throw new Error(`talk ${firstTalkId} was created but is not in the database`);

    const talkIds = [firstTalkId];
    const newTalks: TalkDoc[] = [];
    for (let t = 1; t < Math.ceil(count / TALK_SIZE); t += 1) {
      const id = newId();
      talkIds.push(id);
      newTalks.push({ ...talkTemplate, _id: id, name: `Connections ${t}`, creator_id: agents[t * TALK_SIZE]?.id ?? first.id });
    }
    const clients = agents.map((agent, i) => ({ token: agent.token, talkId: talkIds[Math.floor(i / TALK_SIZE)] ?? firstTalkId }));
    const newParticipants: ParticipantDoc[] = agents.slice(1).map((agent, i) => ({
      ...participantTemplate,
      _id: newId(),
      agent_id: agent.id,
      talk_id: clients[i + 1]?.talkId ?? firstTalkId,
    }));
    for (let at = 0; at < newTalks.length; at += BATCH) await talks.insertMany(newTalks.slice(at, at + BATCH));
    for (let at = 0; at < newParticipants.length; at += BATCH) await participants.insertMany(newParticipants.slice(at, at + BATCH));
    return clients;
  } finally {
    await mongo.close();
  }
}
