/**
 * A process that dies right after appending an event leaves it unapplied and unpublished: the
 * outbox relay of any API replica finishes it, and never lets it overwrite a newer change; an
 * event the bus refuses is parked instead of holding back the rest.
 */
import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { newId } from '@talk/shared/ids';
import { Message } from '@talk/shared/schemas';
import { eventually } from '@talk/shared/testing/eventually';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { expectBody, restClient } from '@talk/shared/testing/rest-client';
import { COLLECTIONS, type EventDoc } from '@talk/store/documents';
import { messageChangeDraft, messageCreatedDraft, newMessage } from '@talk/decisions/drafts';
import { eventDocOf } from '@talk/store/write-pipeline/event-docs';
import { createStore } from '@talk/store/store';
import { observeTalkOnBus } from '../../../test/support/bus-observer';
import { createCustomer, createGroupTalk } from '../../../test/support/fixtures';
import { launchApi, stackEnv } from '../../../test/support/stack';

describe('progress of recorded changes', () => {
  it('notes every change applied and published after answering, leaving the relay nothing to finish', async () => {
    const env = stackEnv('progress');
    // A relay that would not finish anything within the test: whatever lands is the recorder's note.
    const api = await launchApi(env, { OUTBOX_INTERVAL_MS: '600000', OUTBOX_GRACE_MS: '600000' });
    const mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
    const client = restClient(`http://127.0.0.1:${api.port}`);
    try {
      const [a, b] = (await createCustomer(client, ['Agent A', 'Agent B'])).agents;
      const talk = await createGroupTalk(client, a, [b]);
      expectBody(await client.request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'noted' } }), 201, Message);
      const store = createStore(mongo.db(env.iso.db));
      const recorded = await store.events.listAfter(talk.id, 0, 100);
      expect(recorded.map((event) => event.type)).toContain('message_created');
      await eventually(async () => {
        expect(await store.events.listPending(new Date(Date.now() + 60_000), 100)).toEqual([]);
      }, 5_000);
    } finally {
      await mongo.close();
      await api.stop();
    }
  });
});

describe('repair of interrupted changes', () => {
  it('applies and publishes an event whose writer died after appending it, and never undoes a newer change with an older one', async () => {
    const env = stackEnv('repair');
    const api = await launchApi(env, { OUTBOX_INTERVAL_MS: '200', OUTBOX_GRACE_MS: '1500' });
    const mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
    const client = restClient(`http://127.0.0.1:${api.port}`);
    const [a, b] = (await createCustomer(client, ['Agent A', 'Agent B'])).agents;
    const talk = await createGroupTalk(client, a, [b]);
    const observer = await observeTalkOnBus(env.iso.subjectPrefix, talk.id);
    try {

      // What a writer that died right after `append` leaves behind: the event, and nothing else.
      const store = createStore(mongo.db(env.iso.db));
      const orphanMessage = newMessage({
        id: newId(), talkId: talk.id, type: 'normal', agentId: a.id, clientMessageId: null,
        text: 'appended, then the process died', parentId: null, medias: [], mentionIds: [], at: new Date(),
      });
      const orphan = await store.events.append(messageCreatedDraft(orphanMessage));

      const edited = expectBody(await client.request('POST', `/v1.0/talks/${talk.id}/messages`, { token: a.token, body: { text: 'v1' } }), 201, Message);
      const staleEdit = await store.events.append(messageChangeDraft('message_updated', { ...edited, text: 'v2 (older)', edited: true }));
      expectBody(await client.request('PUT', `/v1.0/messages/${edited.id}`, { token: a.token, body: { text: 'v3 (newer)' } }), 200, Message);

      await eventually(async () => {
        const listed = await client.request('GET', `/v1.0/talks/${talk.id}/messages`, { token: b.token });
        expect(JSON.stringify(listed.body)).toContain('appended, then the process died');
        expect(observer.events.map((e) => e.id)).toEqual(expect.arrayContaining([orphan.event.id, staleEdit.event.id]));
        // The relay notes its progress after publishing: wait for that too.
        expect(await store.events.listPending(new Date(Date.now() + 60_000), 10)).toEqual([]);
      }, 10_000);
      expect(expectBody(await client.request('GET', `/v1.0/messages/${edited.id}`, { token: b.token }), 200, Message).text).toBe('v3 (newer)');
    } finally {
      await observer.close();
      await mongo.close();
      await api.stop();
    }
  });
});

describe('an event the bus refuses', () => {
  it('is parked with its reason, and the relay goes on finishing every other event', async () => {
    const env = stackEnv('poison');
    const api = await launchApi(env, { OUTBOX_INTERVAL_MS: '200', OUTBOX_GRACE_MS: '500' });
    const mongo = await MongoClient.connect(testServersFromEnv().mongoUrl);
    const client = restClient(`http://127.0.0.1:${api.port}`);
    const [a, b] = (await createCustomer(client, ['Agent A', 'Agent B'])).agents;
    const poisoned = await createGroupTalk(client, a, [b]);
    const healthy = await createGroupTalk(client, a, [b]);
    const observer = await observeTalkOnBus(env.iso.subjectPrefix, healthy.id);
    try {
      const store = createStore(mongo.db(env.iso.db));
      const orphanIn = (talkId: string, text: string) =>
        newMessage({ id: newId(), talkId, type: 'normal', agentId: a.id, clientMessageId: null, text, parentId: null, medias: [], mentionIds: [], at: new Date() });
      // Over NATS's 1 MB max_payload, recorded first: the oldest pending event, which used to
      // stop every pass of the relay, for every talk. The event log records no event over 256 KiB
      // now (event-size.ts), so it goes straight into the log, as an earlier version recorded
      // one (a NATS server with a max_payload below 256 KiB would refuse a valid one alike).
      const poisonEvent = messageCreatedDraft(orphanIn(poisoned.id, 'x'.repeat(1_100_000))).build((await store.events.lastSeq(poisoned.id)) + 1);
      await mongo.db(env.iso.db).collection<EventDoc>(COLLECTIONS.events).insertOne(eventDocOf(poisonEvent));
      const poison = { event: poisonEvent };
      const orphan = await store.events.append(messageCreatedDraft(orphanIn(healthy.id, 'recorded after the poison')));

      await eventually(async () => {
        expect(observer.events.map((e) => e.id)).toContain(orphan.event.id);
        expect(await store.events.listPending(new Date(Date.now() + 60_000), 10)).toEqual([]);
      }, 10_000);
      const parked = await mongo.db(env.iso.db).collection<EventDoc>(COLLECTIONS.events).findOne({ _id: poison.event.id });
      expect(parked?.parked?.reason).toMatch(/NATS refused event .*max_payload/);
      // Parked, not lost: it stays in the talk's log for replays and `/events`.
      const logged = expectBody(
        await client.request('GET', `/v1.0/talks/${poisoned.id}/events?after_seq=${poison.event.seq - 1}`, { token: a.token }),
        200,
        z.object({ result: z.array(z.object({ id: z.string() }).loose()) }).loose(),
      );
      expect(logged.result.map((event) => event.id)).toContain(poison.event.id);
    } finally {
      await observer.close();
      await mongo.close();
      await api.stop();
    }
  });
});
