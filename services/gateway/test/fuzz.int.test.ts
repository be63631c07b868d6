/**
 * Property-based fuzzing of the gateway's client frames (docs/security.md, "Fuzzing"): frames of
 * every type the gateway knows, with hostile fields, and JSON of any shape, text that is not
 * JSON, binary frames and frames just under the limit, sent on a signed-in connection that holds
 * a real subscription. Every bad frame gets an error frame, nothing gets INTERNAL, the connection
 * stays open, and its subscription still delivers each new event once and in order. Frames that
 * must close a connection (not UTF-8, over the limit) close it with their code, and only it.
 */
import fc from 'fast-check';
import { ERROR_CODES } from '@talk/shared/errors';
import { Message } from '@talk/shared/schemas';
import { eventually } from '@talk/shared/testing/eventually';
import { expectBody, restClient, type RestClient } from '@talk/shared/testing/rest-client';
import { ClientFrame, MAX_FRAME_BYTES } from '../src/ws/frames';
import { fuzzSettings, propertyParameters, testTimeoutMs } from '../../../test/support/fuzz/settings';
import type { KnownValues } from '../../../test/support/fuzz/schema-values';
import { answeredFrames, closingFrames, textOfFrame, type FuzzFrame } from '../../../test/support/fuzz/ws-frames';
import { openFuzzSocket, type FuzzSocket, type ServerFrame } from '../../../test/support/fuzz/ws-recorder';
import { createCustomer, createGroupTalk, type TestAgent } from '../../../test/support/fixtures';
import { launchApi, launchGateway, stackEnv } from '../../../test/support/stack';

const settings = fuzzSettings('gateway', 120);

/** A bound on one run (a few frames, their answers, a message delivered): about 50 ms here. */
const PER_RUN_MS = 400;

/** Codes a frame may be refused with while MongoDB and NATS are up: never INTERNAL or UNAVAILABLE. */
const REFUSAL_CODES: readonly string[] = ERROR_CODES.filter((code) => code !== 'INTERNAL' && code !== 'UNAVAILABLE');

/** What the gateway must answer to one batch of frames, from how its schema reads them. */
interface Expected {
  readonly invalid: number;
  readonly pings: number;
  /** Valid subscribes per talk id: each talk answers at most once per subscribe. */
  readonly subscribes: ReadonlyMap<string, number>;
  /**
   * Talks whose subscribe must be answered: at least once. A subscribe that an unsubscribe of
   * its talk follows in the batch may end before it answers (docs/security.md), silently.
   */
  readonly answered: ReadonlySet<string>;
  /** Valid typing frames: each is answered with an error frame when the agent may not type there, else not at all. */
  readonly typings: number;
  /** Valid presence subscribes: each may be refused for the agents it would follow past the cap, never more than once. */
  readonly presenceSubscribes: number;
}

function expectedAnswers(frames: readonly FuzzFrame[]): Expected {
  let invalid = 0;
  let pings = 0;
  let typings = 0;
  let presenceSubscribes = 0;
  const subscribes = new Map<string, number>();
  const answered = new Set<string>();
  for (const frame of frames) {
    let raw: unknown;
    try {
      raw = JSON.parse(textOfFrame(frame));
    } catch {
      invalid += 1;
      continue;
    }
    const parsed = ClientFrame.safeParse(raw);
    if (!parsed.success) invalid += 1;
    else if (parsed.data.type === 'ping') pings += 1;
    else if (parsed.data.type === 'unsubscribe') answered.delete(parsed.data.talk_id);
    else if (parsed.data.type === 'typing') typings += 1;
    else if (parsed.data.type === 'presence_subscribe') presenceSubscribes += 1;
    else if (parsed.data.type === 'presence_unsubscribe') continue;
    else {
      subscribes.set(parsed.data.talk_id, (subscribes.get(parsed.data.talk_id) ?? 0) + 1);
      answered.add(parsed.data.talk_id);
    }
  }
  return { invalid, pings, subscribes, answered, typings, presenceSubscribes };
}

const refOf = (frame: ServerFrame): Record<string, unknown> => {
  const ref = frame['ref'];
  return typeof ref === 'object' && ref !== null ? { ...ref } : {};
};

/** Whether `frame` answers a subscribe to `talkId`. */
const answersSubscribe = (frame: ServerFrame, talkId: string): boolean =>
  (frame['type'] === 'subscribed' && frame['talk_id'] === talkId) || (frame['type'] === 'error' && refOf(frame)['talk_id'] === talkId && refOf(frame)['type'] === 'subscribe');

const eventOf = (frame: ServerFrame): Record<string, unknown> => {
  const event = frame['event'];
  return typeof event === 'object' && event !== null ? { ...event } : {};
};

describe('fuzzing the gateway\'s frames', () => {
  let api: Awaited<ReturnType<typeof launchApi>>;
  let gateway: Awaited<ReturnType<typeof launchGateway>>;
  let rest: RestClient;
  let agent: TestAgent;
  let writer: TestAgent;
  let witnessTalkId: string;
  let socket: FuzzSocket;
  let lastSeq: number;
  let wsUrl: string;
  /** Talks the fuzzer's frames name: one the agent is in, one it is not (and, from the schema, any UUID). */
  let known: KnownValues;

  beforeAll(async () => {
    const env = stackEnv('fuzz_gateway');
    api = await launchApi(env);
    // The frame budget has its own test; here it would only turn fuzzed frames into RATE_LIMITED.
    gateway = await launchGateway(env, { WS_FRAMES_PER_SECOND: '10000' });
    rest = restClient(`http://127.0.0.1:${api.port}`);
    const acme = await createCustomer(rest, ['Agent A', 'Agent B']);
    [agent, writer] = acme.agents;
    // The witness talk's subscription is the one that must keep working; the fuzzer never names it.
    witnessTalkId = (await createGroupTalk(rest, agent, [writer], 'Witness')).id;
    const playground = await createGroupTalk(rest, agent, [writer], 'Playground');
    const notTheAgents = await createGroupTalk(rest, writer, [], 'Not the agent\'s');
    expectBody(await rest.request('POST', `/v1.0/talks/${playground.id}/messages`, { token: writer.token, body: { text: 'to replay' } }), 201, Message);
    known = { talk_id: [playground.id, notTheAgents.id] };
    wsUrl = `ws://127.0.0.1:${gateway.port}/v1.0/ws?token=${encodeURIComponent(agent.token)}`;
    await connect();
  });
  afterAll(async () => {
    await socket.close();
    await gateway.stop();
    await api.stop();
  });

  /**
   * Opens the agent's connection and subscribes it to the witness talk. Called again only after a
   * run that failed by closing it, so that shrinking starts every candidate from an open connection.
   */
  async function connect(): Promise<void> {
    socket = await openFuzzSocket(wsUrl);
    socket.sendText(JSON.stringify({ type: 'subscribe', talk_id: witnessTalkId }));
    const subscribed = await socket.waitFor((frame) => frame['type'] === 'subscribed' && frame['talk_id'] === witnessTalkId, 0);
    lastSeq = Number(subscribed['last_seq']);
  }

  /** A message into the witness talk arrives once, as the next seq, and nothing else of that talk does. */
  async function expectWitnessDelivered(): Promise<void> {
    const from = socket.frames.length;
    expectBody(await rest.request('POST', `/v1.0/talks/${witnessTalkId}/messages`, { token: writer.token, body: { text: 'still delivered?' } }), 201, Message);
    const frame = await socket.waitFor((candidate) => candidate['type'] === 'event' && eventOf(candidate)['talk_id'] === witnessTalkId, from);
    const event = eventOf(frame);
    if (event['type'] !== 'message_created' || event['seq'] !== lastSeq + 1) throw new Error(`expected message_created at seq ${lastSeq + 1}, got ${JSON.stringify(event)}`);
    lastSeq += 1;
  }

  it(
    'answers every bad frame with an error frame, never INTERNAL, and the connection and its subscription keep working',
    async () => {
      const frames = fc.array(answeredFrames(ClientFrame, known, MAX_FRAME_BYTES), { minLength: 1, maxLength: 4 });
      /** Per talk, answers still owed by subscribes that an unsubscribe ended before they answered. */
      const lateAnswers = new Map<string, number>();
      let witnessLost = false;
      const property = fc.asyncProperty(frames, async (batch) => {
        if (socket.closeCode() !== undefined || witnessLost) {
          // A fresh connection for every candidate after a failure: shrinking then finds the frames that broke it.
          await socket.close();
          await connect();
          witnessLost = false;
        }
        const from = socket.frames.length;
        for (const frame of batch) {
          if (typeof frame.data === 'string') socket.sendText(frame.data);
          else socket.sendBinary(frame.data);
        }
        socket.sendText(JSON.stringify({ type: 'ping' }));
        const expected = expectedAnswers(batch);
        const since = (): ServerFrame[] => socket.frames.slice(from);
        // Frames are answered in order: by the last pong every synchronous answer is in.
        await eventually(() => {
          if (socket.closeCode() !== undefined) return; // reported below
          const pongs = since().filter((frame) => frame['type'] === 'pong').length;
          if (pongs < expected.pings + 1) throw new Error(`${pongs} pongs of ${expected.pings + 1}; received ${JSON.stringify(since()).slice(0, 1_000)}`);
          for (const talkId of expected.answered) {
            if (!since().some((frame) => answersSubscribe(frame, talkId))) throw new Error(`no answer to the subscribe to ${talkId}`);
          }
        });
        const problems: string[] = [];
        // A subscribe of an earlier batch that was ended before it answered may answer now, once:
        // not counted for a talk this batch does not subscribe to, allowed for one it does.
        // A valid typing frame the agent may not send is refused by access (NOT_FOUND), not by its schema.
        const typingRefusals = since().filter((frame) => frame['type'] === 'error' && refOf(frame)['type'] === 'typing' && frame['code'] !== 'INVALID_ARGUMENT');
        if (typingRefusals.length > expected.typings) problems.push(`${typingRefusals.length} refusals of typing, for ${expected.typings} typing frames`);
        // Presence subscribes of the batch, still being looked up, count towards the cap together.
        const presenceRefusals = since().filter((frame) => frame['type'] === 'error' && refOf(frame)['type'] === 'presence_subscribe' && String(frame['message']).includes('follows the presence of at most'));
        if (presenceRefusals.length > expected.presenceSubscribes) problems.push(`${presenceRefusals.length} refusals of presence_subscribe, for ${expected.presenceSubscribes}`);
        const answers = since().filter((frame) => {
          if (frame['type'] !== 'error' && frame['type'] !== 'subscribed') return false;
          if (typingRefusals.includes(frame) || presenceRefusals.includes(frame)) return false;
          const late = [...lateAnswers.entries()].find(([talkId, count]) => count > 0 && !expected.subscribes.has(talkId) && answersSubscribe(frame, talkId));
          if (late === undefined) return true;
          lateAnswers.set(late[0], late[1] - 1);
          return false;
        });
        let allowance = 0;
        for (const [talkId, count] of expected.subscribes) {
          allowance += lateAnswers.get(talkId) ?? 0;
          const owed = expected.answered.has(talkId) ? 0 : count - since().filter((frame) => answersSubscribe(frame, talkId)).length;
          lateAnswers.set(talkId, Math.max(0, owed));
        }
        const subscribes = [...expected.subscribes.values()];
        const least = expected.invalid + expected.answered.size;
        const most = expected.invalid + subscribes.reduce((sum, count) => sum + count, 0) + allowance;
        if (answers.length < least || answers.length > most) problems.push(`${answers.length} error and subscribed frames, expected ${least} to ${most}`);
        for (const frame of since()) {
          if (frame['type'] === 'error' && (!REFUSAL_CODES.includes(String(frame['code'])) || typeof frame['message'] !== 'string')) problems.push(`a bad error frame: ${JSON.stringify(frame)}`);
          if (!['error', 'subscribed', 'pong', 'event', 'presence'].includes(String(frame['type']))) problems.push(`a frame of no contract type: ${JSON.stringify(frame).slice(0, 300)}`);
        }
        if (socket.malformed.length > 0) problems.push(`frames that are not JSON objects: ${socket.malformed.slice(0, 3).join(' | ')}`);
        if (socket.closeCode() !== undefined) problems.splice(0, problems.length, `the connection closed with ${String(socket.closeCode())}`);
        if (problems.length === 0) {
          await expectWitnessDelivered().catch((error: unknown) => {
            witnessLost = true;
            throw error;
          });
        }
        if (problems.length > 0) {
          const sent = batch.map((frame) => (typeof frame.data === 'string' ? frame.data : `binary ${frame.data.toString('hex')}`).slice(0, 300));
          throw new Error(`frames ${JSON.stringify(sent)}\n${problems.join('\n')}\nreceived ${JSON.stringify(since()).slice(0, 1_500)}`);
        }
      });
      await fc.assert(property, propertyParameters(settings, PER_RUN_MS));
    },
    testTimeoutMs(settings, PER_RUN_MS),
  );

  it(
    'closes a connection that sends a frame that is not UTF-8 or over the limit with its code, and only that one',
    async () => {
      const closingRuns = { ...settings, numRuns: Math.max(5, Math.ceil(settings.numRuns / 10)) };
      const property = fc.asyncProperty(closingFrames(MAX_FRAME_BYTES), async (frame) => {
        const victim = await openFuzzSocket(wsUrl);
        victim.sendText(JSON.stringify({ type: 'ping' }));
        await victim.waitFor((answer) => answer['type'] === 'pong', 0);
        victim.sendText(frame.bytes);
        const code = await victim.closed;
        if (!frame.closeCodes.includes(code)) throw new Error(`closed with ${code}, expected ${frame.closeCodes.join(' or ')} for ${frame.bytes.subarray(0, 80).toString('hex')}`);
        await expectWitnessDelivered();
      });
      await fc.assert(property, propertyParameters(closingRuns, PER_RUN_MS));
    },
    testTimeoutMs(settings, PER_RUN_MS),
  );
});
