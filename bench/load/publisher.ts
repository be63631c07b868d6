/**
 * Load process of the fan-out benchmark: publishes synthetic `message_created` events straight to
 * the talks' NATS subjects, as the API would, in seq order per talk, at a given rate.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createSubjects } from '@talk/shared/subjects';
import { serveParent } from '../lib/child';
import { PublisherRequest } from './protocol';
import { pace } from '../lib/pacer';
import { syntheticEvent } from '../lib/synthetic-event';





let nc: NatsConnection | undefined;
let setup: Extract<PublisherRequest, { type: 'connect' }> | undefined;
const lastSeqs = new Map<string, number>();

serveParent(PublisherRequest, async (request) => {
  if (request.type === 'connect') {
    nc = await connect({ servers: request.natsUrl });
    setup = request;
    for (const talk of request.talks) lastSeqs.set(talk.talkId, talk.lastSeq);
    return { ok: true };
  }
  const connection = nc;
  const talks = setup?.talks.map((talk) => talk.talkId) ?? [];
  if (connection === undefined || setup === undefined || talks.length === 0) throw new Error('publish before connect');
  const subjects = createSubjects(setup.subjectPrefix);
  const authorId = setup.authorId;
  const published = await pace(request.eventsPerSecond, request.durationMs, (i) => {
    const talkId = talks[i % talks.length] ?? '';
    const seq = (lastSeqs.get(talkId) ?? 0) + 1;
    lastSeqs.set(talkId, seq);
    connection.publish(subjects.talkEvent(talkId, 'message_created'), syntheticEvent(talkId, authorId, seq, process.hrtime.bigint()));
  });
  await connection.flush();
  return { published, lastSeqs: Object.fromEntries(lastSeqs) };
});
