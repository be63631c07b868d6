/**
 * The notifier writes exactly one system message per participant event: with redelivered events,
 * with several replicas, and after being down.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { z } from 'zod';
import { TalkChangeEvent } from '@talk/shared/events';
import { Message, Participant } from '@talk/shared/schemas';
import { createSubjects } from '@talk/shared/subjects';
import { eventually } from '@talk/shared/testing/eventually';
import { testServersFromEnv } from '@talk/shared/testing/isolation';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, type TestAgent } from '../../../test/support/fixtures';
import { launchNotifier, startStack, type Stack } from '../../../test/support/stack';

const Page = z.object({ result: z.array(Message), next_page_token: z.string().nullable() });
const Events = z.object({ result: z.array(TalkChangeEvent) });

describe('notifier', () => {
  let stack: Stack;
  let agents: TestAgent[];

  beforeAll(async () => {
    stack = await startStack('notifier', { notifiers: 2 });
    agents = [...(await createCustomer(stack.api(), ['Agent A', 'Agent B', 'Agent C', 'Agent D', 'Agent E'])).agents];
  });
  afterAll(() => stack.stop());

  function agent(i: number): TestAgent {
    const found = agents[i];
    if (found === undefined) throw new Error(`no agent ${i}`);
    return found;
  }

  async function systemTexts(talkId: string, reader: TestAgent): Promise<string[]> {
    const page = expectBody(
      await stack.api().request('GET', `/v1.0/talks/${talkId}/messages?after_seq=0&page_size=100`, { token: reader.token }),
      200,
      Page,
    );
    return page.result.filter((m) => m.type === 'system').map((m) => m.text);
  }

  it('writes one system message per join and leave, shared between two replicas', async () => {
    const talk = await createGroupTalk(stack.api(), agent(0), [agent(1)]);
    const path = `/v1.0/talks/${talk.id}/participants`;
    const added = [];
    for (const i of [2, 3, 4]) {
      added.push(expectBody(await stack.api().request('POST', path, { token: agent(0).token, body: { agent_id: agent(i).id } }), 201, Participant));
    }
    const ofE = added[2];
    if (ofE === undefined) throw new Error('E was added');
    expectBody(await stack.api().request('DELETE', `${path}/${ofE.id}`, { token: agent(4).token }), 200, Participant);

    const expected = [
      'Agent A joined the conversation.',
      'Agent B joined the conversation.',
      'Agent C joined the conversation.',
      'Agent D joined the conversation.',
      'Agent E joined the conversation.',
      'Agent E left the conversation.',
    ];
    await eventually(async () => expect((await systemTexts(talk.id, agent(0))).sort()).toEqual([...expected].sort()), 10_000);
    const messages = expectBody(await stack.api().request('GET', `/v1.0/talks/${talk.id}/messages?after_seq=0`, { token: agent(0).token }), 200, Page);
    for (const message of messages.result.filter((m) => m.type === 'system')) {
      expect(message).toMatchObject({ agent_id: null, parent_id: null, medias: [], client_message_id: null });
    }
  });

  it('writes nothing more when the same participant event is delivered again', async () => {
    const talk = await createGroupTalk(stack.api(), agent(0), [agent(1)]);
    await eventually(async () => expect(await systemTexts(talk.id, agent(0))).toHaveLength(2), 10_000);

    // Redeliver the recorded participant events as JetStream would: same event, new message id.
    const subjects = createSubjects(stack.iso.subjectPrefix);
    const nc = await connect({ servers: testServersFromEnv().natsUrl });
    try {
      const joined = await recordedParticipantEvents(talk.id);
      expect(joined).toHaveLength(2);
      const js = jetstream(nc);
      for (const event of joined) {
        for (const copy of ['again-1', 'again-2']) {
          await js.publish(subjects.talkEvent(event.talk_id, event.type), JSON.stringify(event), { msgID: `${event.id}-${copy}` });
        }
      }
      const jsm = await jetstreamManager(nc);
      await eventually(async () => {
        const info = await jsm.consumers.info(subjects.streamName, 'talk-notifier');
        expect(info.num_pending + info.num_ack_pending).toBe(0);
      }, 10_000);
    } finally {
      await nc.drain();
    }
    expect(await systemTexts(talk.id, agent(0))).toHaveLength(2);
  });

  it('catches up on what happened while no notifier ran', async () => {
    for (const notifier of stack.notifiers) await notifier.stop();
    const talk = await createGroupTalk(stack.api(), agent(2), [agent(3)]);
    expect(await systemTexts(talk.id, agent(2))).toHaveLength(0);
    const restarted = await launchNotifier(stack);
    try {
      await eventually(async () => expect((await systemTexts(talk.id, agent(2))).sort()).toEqual(
        ['Agent C joined the conversation.', 'Agent D joined the conversation.'],
      ), 10_000);
    } finally {
      await restarted.stop();
    }
  });

  /** The participant events of a talk, read back from its change stream. */
  async function recordedParticipantEvents(talkId: string): Promise<TalkChangeEvent[]> {
    const response = await stack.api().request('GET', `/v1.0/talks/${talkId}/events?after_seq=0`, { token: agent(0).token });
    return expectBody(response, 200, Events).result.filter((e) => e.type === 'participant_joined');
  }
});
