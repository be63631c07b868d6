/**
 * Every query the data layer sends is served by an index (packages/store/src/query-index-rules.ts
 * says what that means on MongoDB and on FerretDB v1). Each repository function runs once per row
 * of the table below, on a small data set, while the driver reports the commands it sends; a
 * repository function without a row fails the test, so a new query cannot slip past it.
 */
import { MongoClient, type Db } from 'mongodb';
import { EVENT_TYPES, type EventType } from '@talk/shared/events';
import { newId } from '@talk/shared/ids';
import { isolation, testServersFromEnv } from '@talk/shared/testing/isolation';
import { systemClock } from '@talk/shared/time';
import { ensureIndexes, INDEXES } from '../src/database';
import {
  checkQueries,
  describeQuery,
  explainableCommands,
  queriesOfCommand,
  winningPlanStages,
  type Exemption,
  type Fields,
  type QueryCheck,
  type RecordedQuery,
} from '../src/query-index-rules';
import { createRelayLease } from '../src/write-pipeline/relay-lease';
import { createStore } from '../src/store';
import { toMessage } from '../src/wire';
import { messageChangeDraft } from '@talk/decisions/drafts';
import { createTalkStates } from '../src/write-pipeline/talk-states';
import { agentDoc, createQueryFixture, type QueryFixture } from './query-indexes/fixture';
import { ferretdbPostgresqlUrl, ginTwinsOf } from './query-indexes/gin-twins';

interface Row {
  /** `component.function`, the component named as `createStore` names it. */
  readonly fn: string;
  /** What this row exercises, when a function has several rows (paths that send other queries). */
  readonly case?: string;
  /** Why the function sends no query: the test checks that it sends none. */
  readonly sendsNoQuery?: string;
  readonly run: (f: QueryFixture) => Promise<unknown>;
}

const INSERT_ONLY = 'an insert; a duplicate is refused by a unique index, not looked up';
const inAMinute = (f: QueryFixture): Date => new Date(f.now.getTime() + 60_000);
const lease = (f: QueryFixture, holder: string) => createRelayLease(f.db, 'outbox', holder, 1_000, () => f.now);

/** The projector's queries depend on the event type: one row for each. */
const PROJECTOR_SENDS_NO_QUERY: Partial<Record<EventType, string>> = {};

/** Alice, reading the fixture's talk from its start. */
const reader = (f: QueryFixture) => ({ talkId: f.talk._id, agentId: f.alice._id, joinedSeq: 0, leftAtSeq: null });

const ROWS: readonly Row[] = [
  { fn: 'identity.insertCustomer', sendsNoQuery: INSERT_ONLY, run: (f) => f.store.identity.insertCustomer({ ...f.customer, _id: newId(), accesskey_hash: newId() }) },
  { fn: 'identity.findCustomerByAccesskeyHash', run: (f) => f.store.identity.findCustomerByAccesskeyHash(f.customer.accesskey_hash) },
  { fn: 'identity.insertAgent', sendsNoQuery: INSERT_ONLY, run: (f) => f.store.identity.insertAgent(agentDoc(f.customer._id, 'dave', f.now)) },
  { fn: 'identity.findAgent', run: (f) => f.store.identity.findAgent(f.customer._id, f.alice._id) },
  { fn: 'identity.findAgentById', run: (f) => f.store.identity.findAgentById(f.alice._id) },
  { fn: 'identity.findAgentByUsername', run: (f) => f.store.identity.findAgentByUsername(f.customer._id, 'alice') },
  { fn: 'identity.findAgents', run: (f) => f.store.identity.findAgents(f.customer._id, [f.alice._id, f.bob._id]) },
  { fn: 'identity.findAgentsByIds', run: (f) => f.store.identity.findAgentsByIds([f.alice._id, f.bob._id]) },
  { fn: 'identity.deactivateAgent', run: (f) => f.store.identity.deactivateAgent(f.carol._id) },
  { fn: 'identity.listAgents', run: (f) => f.store.identity.listAgents(f.customer._id, undefined, 10) },
  { fn: 'identity.listAgents', case: 'after a cursor', run: (f) => f.store.identity.listAgents(f.customer._id, f.alice._id, 10) },

  { fn: 'talks.findTalk', run: (f) => f.store.talks.findTalk(f.customer._id, f.talk._id) },
  { fn: 'talks.listTalksOfAgent', run: (f) => f.store.talks.listTalksOfAgent(f.alice._id, { limit: 20 }) },
  { fn: 'talks.touchTalk', run: (f) => f.store.talks.touchTalk(f.talk._id, f.now, f.now) },
  { fn: 'talks.findParticipant', run: (f) => f.store.talks.findParticipant(f.talk._id, f.alice._id) },
  { fn: 'talks.findParticipantById', run: (f) => f.store.talks.findParticipantById(f.talk._id, f.aliceIn._id) },
  { fn: 'talks.listParticipants', run: (f) => f.store.talks.listParticipants(f.talk._id) },
  { fn: 'talks.listParticipants', case: 'of a status', run: (f) => f.store.talks.listParticipants(f.talk._id, 'active') },
  { fn: 'talks.listActiveParticipationsOf', run: (f) => f.store.talks.listActiveParticipationsOf(f.alice._id) },
  { fn: 'talks.countActiveParticipants', run: (f) => f.store.talks.countActiveParticipants([f.talk._id]) },

  { fn: 'messages.insertMessage', sendsNoQuery: 'an insert under the message id; applying it twice changes nothing', run: (f) => f.store.messages.insertMessage(f.newMessage()) },
  { fn: 'messages.findMessage', run: (f) => f.store.messages.findMessage(f.root._id) },
  { fn: 'messages.listTopLevel', run: (f) => f.store.messages.listTopLevel({ talkId: f.talk._id, limit: 50 }) },
  { fn: 'messages.listTopLevel', case: 'a page before a seq', run: (f) => f.store.messages.listTopLevel({ talkId: f.talk._id, limit: 50, beforeSeq: 100 }) },
  { fn: 'messages.listTopLevel', case: 'catching up, as one who left', run: (f) => f.store.messages.listTopLevel({ talkId: f.talk._id, limit: 50, afterSeq: 1, visibleUpToSeq: 100 }) },
  { fn: 'messages.listReplies', run: (f) => f.store.messages.listReplies(f.root._id, { limit: 50 }) },
  { fn: 'messages.listReplies', case: 'after a cursor, as one who left', run: (f) => f.store.messages.listReplies(f.root._id, { afterSeq: 1, visibleUpToSeq: 100, limit: 50 }) },

  { fn: 'messages.listMentioning', run: (f) => f.store.messages.listMentioning(f.alice._id, { limit: 50 }) },
  { fn: 'messages.listMentioning', case: 'after a cursor', run: (f) => f.store.messages.listMentioning(f.alice._id, { after: { tmCreate: f.now, id: f.root._id }, limit: 50 }) },

  { fn: 'readStates.stateOf', case: 'counted from the marker', run: (f) => f.store.readStates.stateOf(reader(f)) },
  {
    fn: 'readStates.stateOf',
    case: 'counted on from its cache past a change of a message it counted',
    run: async (f) => {
      await f.store.readStates.stateOf(reader(f));
      await f.store.events.append(messageChangeDraft('message_updated', { ...toMessage(f.root), text: 'edited', edited: true }));
      return f.store.readStates.stateOf(reader(f));
    },
  },
  { fn: 'readStates.markerOf', run: (f) => f.store.readStates.markerOf(reader(f)) },
  { fn: 'readStates.markRead', run: (f) => f.store.readStates.markRead(reader(f), 2, f.now) },
  { fn: 'readStates.markRead', case: 'behind the marker', run: (f) => f.store.readStates.markRead(reader(f), 0, f.now) },

  { fn: 'messageViews.render', run: (f) => f.store.messageViews.render([f.root, f.reply]) },
  { fn: 'messageViews.renderOne', run: (f) => f.store.messageViews.renderOne(f.root) },
  { fn: 'messageViews.withThread', run: async (f) => f.store.messageViews.withThread(await f.store.messageViews.renderOne(f.root)) },
  { fn: 'reactions.apply', run: (f) => f.store.reactions.apply({ key: { ...f.reaction, messageId: f.reply._id }, talkId: f.talk._id, seq: 900, at: f.now, removed: false }) },
  { fn: 'reactions.apply', case: 'a removal', run: (f) => f.store.reactions.apply({ key: { ...f.reaction, messageId: f.reply._id }, talkId: f.talk._id, seq: 901, at: f.now, removed: true }) },
  { fn: 'reactions.rowsOf', run: (f) => f.store.reactions.rowsOf(f.talk._id, f.root._id) },
  { fn: 'reactions.listForMessages', run: (f) => f.store.reactions.listForMessages(f.talk._id, [f.root._id]) },
  { fn: 'reactions.listForMessages', case: 'of several messages', run: (f) => f.store.reactions.listForMessages(f.talk._id, [f.root._id, f.reply._id]) },

  { fn: 'events.append', run: (f) => f.store.events.append(f.messageDraft()) },
  { fn: 'events.append', case: 'the first event of a talk', run: (f) => f.store.events.append(f.messageDraft(newId())) },
  { fn: 'events.append', case: 'an event recorded before', run: (f) => f.store.events.append(f.rootDraft) },
  {
    fn: 'events.decide',
    case: 'reading a message as of the state',
    run: (f) =>
      f.store.events.decide(f.talk._id, async (_state, reads) => {
        const message = await reads.message(f.root._id);
        return { drafts: [], answer: () => message };
      }),
  },
  {
    fn: 'events.decide',
    case: "reading a message's reactions as of the state",
    run: (f) =>
      f.store.events.decide(f.talk._id, async (_state, reads) => {
        const reactors = await reads.reactions(f.root._id);
        return { drafts: [], answer: () => reactors };
      }),
  },
  { fn: 'events.lastSeq', run: (f) => f.store.events.lastSeq(f.talk._id) },
  { fn: 'events.state', run: (f) => f.store.events.state(f.talk._id) },
  { fn: 'events.find', run: (f) => f.store.events.find(f.talk._id, f.recordedEventId) },
  { fn: 'events.listAfter', run: (f) => f.store.events.listAfter(f.talk._id, 0, 100) },
  { fn: 'events.listPending', run: (f) => f.store.events.listPending(inAMinute(f), 100) },
  { fn: 'events.markProgress', run: (f) => f.store.events.markProgress([{ eventId: f.recordedEventId, applied: true, published: true }]) },
  { fn: 'events.markProgress', case: 'one step of two', run: (f) => f.store.events.markProgress([{ eventId: f.recordedEventId, applied: true, published: false }]) },
  { fn: 'events.park', run: (f) => f.store.events.park(f.recordedEventId, 'refused by the bus', f.now) },
  ...EVENT_TYPES.map((type): Row => {
    const row: Row = { fn: 'projector.apply', case: type, run: (f) => f.store.projector.apply(f.eventOf(type)) };
    const why = PROJECTOR_SENDS_NO_QUERY[type];
    return why === undefined ? row : { ...row, sendsNoQuery: why };
  }),

  { fn: 'pairClaims.newest', run: (f) => f.store.pairClaims.newest(f.pairClaim.pairKey) },
  { fn: 'pairClaims.record', sendsNoQuery: INSERT_ONLY, run: (f) => f.store.pairClaims.record({ ...f.pairClaim, n: f.pairClaim.n + 1 }) },

  { fn: 'states.snapshot', run: (f) => f.states.snapshot(f.talk._id) },
  { fn: 'states.current', run: (f) => f.states.current(f.talk._id) },
  { fn: 'states.current', case: 'a log without a snapshot', run: (f) => f.states.current(newId()) },
  { fn: 'states.catchUp', run: async (f) => f.states.catchUp(await f.states.current(f.talk._id)) },
  { fn: 'states.save', run: async (f) => f.states.save(await f.states.current(f.talk._id)) },
  { fn: 'relayLease.held', case: 'claims the window', run: (f) => lease(f, 'relay-a').held() },
  { fn: 'relayLease.held', case: 'another relay holds the window', run: (f) => lease(f, 'relay-b').held() },
];

/**
 * Queries FerretDB v1 may answer by reading a whole collection, because the collection does not
 * grow with history. As short as possible: each entry says why its collection stays small.
 */
const FERRETDB_EXEMPTIONS: readonly Exemption[] = [
  {
    fn: 'identity.findAgentsByIds',
    collection: 'agents',
    why: "the gateway's periodic re-check of its connected agents, across customers by design; agents grow with staff, not with messages or events",
  },
];

const label = (row: Row): string => (row.case === undefined ? row.fn : `${row.fn} (${row.case})`);

/** Every function of every repository object, as `component.function`. */
function repositoryFunctions(db: Db): string[] {
  const components: Record<string, object> = {
    ...createStore(db),
    states: createTalkStates(db),
    relayLease: createRelayLease(db, 'enumerated', 'nobody', 1_000, systemClock),
  };
  return Object.entries(components).flatMap(([name, component]) =>
    Object.entries(component)
      .filter(([, value]) => typeof value === 'function')
      .map(([fn]) => `${name}.${fn}`),
  );
}

interface SentCommand {
  readonly name: string;
  readonly command: Fields;
}

const server = process.env['TALK_TEST_DATABASE'] ?? 'unknown';
let client: MongoClient;
let db: Db;
/** By row label, the commands the row sent. */
const sent = new Map<string, SentCommand[]>();
let queries: RecordedQuery[] = [];
let check: QueryCheck;

beforeAll(async () => {
  client = new MongoClient(testServersFromEnv().mongoUrl, { monitorCommands: true });
  await client.connect();
  db = client.db(isolation('query_indexes').db);
  await ensureIndexes(db);
  const fixture = await createQueryFixture(db);

  let running: SentCommand[] | undefined;
  client.on('commandStarted', (event) => {
    if (event.databaseName === db.databaseName) running?.push({ name: event.commandName, command: event.command });
  });
  for (const row of ROWS) {
    running = [];
    sent.set(label(row), running);
    try {
      await row.run(fixture);
    } catch (error) {
      throw new Error(`row ${label(row)} failed`, { cause: error });
    }
  }
  running = undefined;
  queries = [...sent].flatMap(([source, commands]) =>
    commands.flatMap(({ name, command }) => queriesOfCommand(name, command).map((query) => ({ ...query, source }))),
  );
  check = checkQueries(queries, INDEXES, FERRETDB_EXEMPTIONS);
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

describe('the query-index table', () => {
  it('has a row for every repository function, and none for a function that is gone', () => {
    const functions = repositoryFunctions(db);
    const covered = new Set(ROWS.map((row) => row.fn));
    expect({ withoutRow: functions.filter((fn) => !covered.has(fn)), gone: [...covered].filter((fn) => !functions.includes(fn)) }).toEqual({
      withoutRow: [],
      gone: [],
    });
    expect(sent.size).toBe(ROWS.length); // no two rows share a label
  });

  it('has a projector row for every event type', () => {
    const types = ROWS.filter((row) => row.fn === 'projector.apply').map((row) => row.case);
    expect(types).toEqual([...EVENT_TYPES]);
  });

  it('records queries from exactly the rows that do not say they send none', () => {
    const wrong = ROWS.filter((row) => queries.some((query) => query.source === label(row)) === (row.sendsNoQuery !== undefined));
    expect(wrong.map(label)).toEqual([]);
  });
});

describe('every recorded query', () => {
  it('constrains the first field of an index or _id, so that MongoDB needs no COLLSCAN', () => {
    expect(check.mongoViolations).toEqual([]);
  });

  it('has a pushed-down equality on the first field of an index or _id, so that FerretDB reads only what it matches', () => {
    expect(check.ferretViolations).toEqual([]);
  });

  it('needs every entry of the FerretDB allow-list', () => {
    expect(check.unusedExemptions).toEqual([]);
  });
});

if (server === 'mongodb') {
  it('is planned by MongoDB without a COLLSCAN', async () => {
    const scans: string[] = [];
    for (const [source, commands] of sent) {
      for (const { name, command } of commands) {
        const described = queriesOfCommand(name, command).map((query) => describeQuery({ ...query, source }));
        for (const [i, explainable] of explainableCommands(name, command).entries()) {
          const stages = winningPlanStages(await db.command({ explain: explainable, verbosity: 'queryPlanner' }));
          if (stages.length === 0 || stages.includes('COLLSCAN')) scans.push(`${described[i] ?? name}: winning plan [${stages.join(', ')}]`);
        }
      }
    }
    expect(scans).toEqual([]);
  });
} else {
  it.skip(`is planned by MongoDB without a COLLSCAN (skipped: explain needs a real MongoDB, the server is ${server})`, () => undefined);
}

if (server === 'ferretdb-postgresql') {
  it('has, in PostgreSQL, a GIN twin of every field whose equality bounds a query on FerretDB', async () => {
    const twins = await ginTwinsOf(ferretdbPostgresqlUrl(), db.databaseName);
    expect(check.boundingFields.size).toBeGreaterThan(0);
    const missing = [...check.boundingFields].flatMap(([collection, fields]) =>
      [...fields].filter((field) => twins.get(collection)?.has(field) !== true).map((field) => `${collection}.${field}`),
    );
    expect(missing).toEqual([]);
    // The lookup tells twins apart: nothing indexes a message's text, so nothing twins it.
    expect(twins.get('messages')?.has('text')).toBe(false);
  });
} else {
  it.skip(`has a GIN twin of every bounding field (skipped: only FerretDB on PostgreSQL has them, the server is ${server})`, () => undefined);
}
