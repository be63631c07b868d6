import {
  checkQueries,
  explainableCommands,
  queriesOfCommand,
  winningPlanStages,
  type Exemption,
  type IndexList,
  type RecordedQuery,
} from './query-index-rules';

const INDEXES: IndexList = [
  ['participants', { key: { talk_id: 1, agent_id: 1 } }],
  ['participants', { key: { agent_id: 1, status: 1 } }],
  ['events', { key: { pending: 1, tm_create: 1 } }],
];

const query = (collection: string, filter: Record<string, unknown>, source = 'talks.someFunction'): RecordedQuery => ({
  source,
  kind: 'find',
  collection,
  filter,
  sort: undefined,
});

const check = (filter: Record<string, unknown>, collection = 'participants') => checkQueries([query(collection, filter)], INDEXES, []);

describe('the MongoDB rule: the filter constrains an index first field or _id', () => {
  it.each([
    ['an equality on _id', { _id: 'p1' }],
    ['$in on _id', { _id: { $in: ['p1', 'p2'] } }],
    ['an equality on a first field, null too', { talk_id: null }],
    ['a range on a first field', { talk_id: { $gt: 't' } }],
    ['a first field inside $and', { $and: [{ agent_id: 'a' }, { status: 'active' }] }],
    ['every branch of an $or', { $or: [{ _id: 'p1' }, { talk_id: 't' }] }],
  ])('accepts %s', (_, filter) => {
    expect(check(filter).mongoViolations).toEqual([]);
  });

  it.each([
    ['no filter', {}],
    ['a field that only follows in an index', { status: 'active' }],
    ['a field no index has', { tm_joined: 'x' }],
    ['$ne or $exists on a first field', { talk_id: { $ne: 't' }, agent_id: { $exists: true } }],
    ['an $or with one unindexed branch', { $or: [{ _id: 'p1' }, { status: 'left' }] }],
  ])('refuses %s', (_, filter) => {
    expect(check(filter).mongoViolations).toHaveLength(1);
  });
});

describe('the FerretDB rule: a pushed-down equality on an index first field or _id', () => {
  it.each([
    ['a string', { _id: 'p1' }, '_id'],
    ['a boolean', { pending: true, tm_create: { $lt: 'x' } }, 'pending'],
  ])('accepts an equality to %s, and names the field that needs a GIN twin', (_, filter, field) => {
    const collection = field === 'pending' ? 'events' : 'participants';
    const result = check(filter, collection);
    expect(result.ferretViolations).toEqual([]);
    expect([...(result.boundingFields.get(collection) ?? [])]).toEqual([field]);
  });

  it.each([
    ['$in', { talk_id: { $in: ['t1', 't2'] } }],
    ['a range', { talk_id: { $gt: 't' } }],
    ['null', { talk_id: null }],
    ['a document', { talk_id: { nested: 't' } }],
    ['an equality inside $and (not pushed down)', { $and: [{ talk_id: 't' }] }],
    ['a dotted path (its twin would be on another expression)', { 'talk_id.x': 't' }],
    // The twin of `status` would read every active participant of every customer.
    ['an equality on a field that only follows in an index', { talk_id: { $in: ['t1'] }, status: 'active' }],
  ])('refuses %s', (_, filter) => {
    expect(check(filter).ferretViolations).toHaveLength(1);
  });

  it('names the function, collection, filter and sort of a violation', () => {
    const [violation] = checkQueries(
      [{ source: 'identity.findAgentsByIds', kind: 'find', collection: 'agents', filter: { _id: { $in: ['a'] } }, sort: { _id: 1 } }],
      INDEXES,
      [],
    ).ferretViolations;
    expect(violation).toContain('identity.findAgentsByIds: agents.find({_id: {$in: [<string>]}}), sort {_id: <number>}');
  });

  it('lets an exemption cover its function and collection only, and reports exemptions that cover nothing', () => {
    const exemption: Exemption = { fn: 'identity.findAgentsByIds', collection: 'agents', why: 'agents do not grow with history' };
    const unused: Exemption = { fn: 'talks.gone', collection: 'talks', why: 'stale' };
    const result = checkQueries(
      [
        query('agents', { _id: { $in: ['a'] } }, 'identity.findAgentsByIds (of two agents)'),
        query('agents', { _id: { $in: ['a'] } }, 'identity.findAgents'),
      ],
      INDEXES,
      [exemption, unused],
    );
    expect(result.ferretViolations).toHaveLength(1);
    expect(result.ferretViolations[0]).toMatch(/^identity\.findAgents:/);
    expect(result.mongoViolations).toEqual([]);
    expect(result.unusedExemptions).toEqual([unused]);
  });
});

describe('queriesOfCommand', () => {
  it('takes each kind of query filter and its sort; inserts are no queries', () => {
    const sort = new Map([['seq', -1]]);
    expect(queriesOfCommand('find', { find: 'events', filter: { talk_id: 't' }, sort, limit: 1 })).toEqual([
      { kind: 'find', collection: 'events', filter: { talk_id: 't' }, sort: { seq: -1 } },
    ]);
    expect(queriesOfCommand('aggregate', { aggregate: 'messages', pipeline: [{ $match: { talk_id: 't' } }, { $sort: { seq: 1 } }] })).toEqual([
      { kind: 'aggregate', collection: 'messages', filter: { talk_id: 't' }, sort: { seq: 1 } },
    ]);
    expect(queriesOfCommand('aggregate', { aggregate: 'messages', pipeline: [{ $group: { _id: null } }] })[0]?.filter).toEqual({});
    expect(queriesOfCommand('distinct', { distinct: 'participants', key: 'talk_id', query: { agent_id: 'a' } })[0]?.filter).toEqual({ agent_id: 'a' });
    expect(queriesOfCommand('count', { count: 'talks', query: { _id: 't' } })[0]?.filter).toEqual({ _id: 't' });
    expect(queriesOfCommand('update', { update: 'talks', updates: [{ q: { _id: 'a' }, u: {} }, { q: { _id: 'b' }, u: {} }] }).map((q) => q.filter)).toEqual([
      { _id: 'a' },
      { _id: 'b' },
    ]);
    expect(queriesOfCommand('delete', { delete: 'reactions', deletes: [{ q: { _id: 'r' }, limit: 1 }] })[0]?.filter).toEqual({ _id: 'r' });
    expect(queriesOfCommand('findAndModify', { findAndModify: 'talks', query: { _id: 't' }, sort: { _id: 1 } })[0]?.sort).toEqual({ _id: 1 });
    expect(queriesOfCommand('insert', { insert: 'talks', documents: [{ _id: 't' }] })).toEqual([]);
  });
});

describe('explainableCommands', () => {
  it('drops what the driver adds and makes one command per update or delete statement', () => {
    const command = { update: 'talks', updates: [{ q: { _id: 'a' } }, { q: { _id: 'b' } }], ordered: true, $db: 'x', lsid: {}, txnNumber: 1 };
    expect(explainableCommands('update', command)).toEqual([
      { update: 'talks', updates: [{ q: { _id: 'a' } }], ordered: true },
      { update: 'talks', updates: [{ q: { _id: 'b' } }], ordered: true },
    ]);
    expect(explainableCommands('find', { find: 'talks', filter: {}, $clusterTime: {}, readConcern: {} })).toEqual([{ find: 'talks', filter: {} }]);
    expect(explainableCommands('insert', { insert: 'talks' })).toEqual([]);
  });
});

describe('winningPlanStages', () => {
  it('finds the stages of winning plans in classic, slot-based and aggregation answers, not of rejected plans', () => {
    const classic = { queryPlanner: { winningPlan: { stage: 'FETCH', inputStage: { stage: 'IXSCAN' } }, rejectedPlans: [{ stage: 'COLLSCAN' }] } };
    const slotBased = { queryPlanner: { winningPlan: { queryPlan: { stage: 'COLLSCAN' }, slotBasedPlan: { stages: '[1] scan' } } } };
    const pipeline = { stages: [{ $cursor: { queryPlanner: { winningPlan: { stage: 'IXSCAN' } } } }, { $group: {} }] };
    expect(winningPlanStages(classic)).toEqual(['FETCH', 'IXSCAN']);
    expect(winningPlanStages(slotBased)).toEqual(['COLLSCAN']);
    expect(winningPlanStages(pipeline)).toEqual(['IXSCAN']);
    expect(winningPlanStages({ ok: 1 })).toEqual([]);
  });
});
