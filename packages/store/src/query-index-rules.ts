/**
 * Whether the queries the data layer sends are served by its indexes (`INDEXES` in database.ts),
 * on MongoDB and on FerretDB v1 (docs/storage.md). Pure: the query-index test
 * (packages/store/test/query-indexes.int.test.ts) records every query the repositories send
 * and checks them here.
 *
 * Two rules, because the two servers use indexes differently:
 *  - MongoDB plans an index scan when the filter constrains an index's first field (equality,
 *    `$in` or a range), so it never needs a COLLSCAN.
 *  - FerretDB v1 pushes down to PostgreSQL only top-level equalities on strings, numbers and
 *    booleans; `$in`, ranges, `$and`/`$or`, sorts and limits are applied in Go to whatever those
 *    equalities matched. So a query reads what a pushed-down equality matches, and that is bounded
 *    (a talk, a thread, an agent) only when the field is one an index leads with, as database.ts
 *    promises: the GIN twin of a field that only follows in an index (a participant's `status`)
 *    would still read everyone's active participants.
 */
import type { IndexDescription } from 'mongodb';

export type Fields = Readonly<Record<string, unknown>>;

export type IndexList = readonly (readonly [string, Pick<IndexDescription, 'key'>])[];

const QUERY_KINDS = ['find', 'aggregate', 'count', 'distinct', 'update', 'delete', 'findAndModify'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/** One filter a command sends: update and delete commands send one per statement. */
export interface CommandQuery {
  readonly kind: QueryKind;
  readonly collection: string;
  readonly filter: Fields;
  readonly sort: Fields | undefined;
}

export interface RecordedQuery extends CommandQuery {
  /** What sent it: the repository function, like `talks.findTalk (of a status)`. */
  readonly source: string;
}

/** A query the FerretDB rule lets through, on a collection that does not grow with history. */
export interface Exemption {
  /** The repository function, like `identity.findAgentsByIds`. */
  readonly fn: string;
  readonly collection: string;
  readonly why: string;
}

export interface QueryCheck {
  readonly mongoViolations: readonly string[];
  /** Violations of the FerretDB rule that no exemption covers. */
  readonly ferretViolations: readonly string[];
  /** Exemptions that covered nothing: the allow-list only shrinks. */
  readonly unusedExemptions: readonly Exemption[];
  /** By collection, the fields whose pushed-down equalities bound the queries: each needs a GIN twin. */
  readonly boundingFields: ReadonlyMap<string, ReadonlySet<string>>;
}

const isQueryKind = (name: string): name is QueryKind => QUERY_KINDS.some((kind) => kind === name);

export function isPlainDocument(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The driver sends sorts as `Map`s, to keep their order. */
function asFields(value: unknown): Fields {
  if (value instanceof Map) return Object.fromEntries<unknown>(value);
  return isPlainDocument(value) ? value : {};
}

const asList = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

/** The queries of one command as the driver sends it; none for commands that are not queries (inserts). */
export function queriesOfCommand(commandName: string, command: Fields): CommandQuery[] {
  if (!isQueryKind(commandName)) return [];
  const kind = commandName;
  const collection = String(command[kind]);
  const query = (filter: unknown, sort?: unknown): CommandQuery => ({
    kind,
    collection,
    filter: asFields(filter),
    sort: sort === undefined ? undefined : asFields(sort),
  });
  switch (kind) {
    case 'find':
      return [query(command['filter'], command['sort'])];
    case 'aggregate': {
      const stages = asList(command['pipeline']).map(asFields);
      return [query(stages[0]?.['$match'], stages.find((stage) => '$sort' in stage)?.['$sort'])];
    }
    case 'count':
    case 'distinct':
      return [query(command['query'])];
    case 'update':
      return asList(command['updates']).map(asFields).map((statement) => query(statement['q'], statement['sort']));
    case 'delete':
      return asList(command['deletes']).map(asFields).map((statement) => query(statement['q']));
    case 'findAndModify':
      return [query(command['query'], command['sort'])];
  }
}

/** What the driver adds to a command that `explain` refuses or does not need. */
const DRIVER_FIELDS = new Set([
  '$db', 'lsid', '$clusterTime', 'txnNumber', 'readConcern', 'writeConcern', '$readPreference',
  'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'autocommit', 'startTransaction',
]);

/** The command as `explain` takes it: without the driver's fields, one statement per update or delete. */
export function explainableCommands(commandName: string, command: Fields): Fields[] {
  if (!isQueryKind(commandName)) return [];
  const own = Object.fromEntries(Object.entries(command).filter(([field]) => !DRIVER_FIELDS.has(field)));
  const statements = commandName === 'update' ? 'updates' : commandName === 'delete' ? 'deletes' : undefined;
  if (statements === undefined) return [own];
  return asList(own[statements]).map((statement) => ({ ...own, [statements]: [statement] }));
}

/** Every `stage` of every winning plan in an explain answer (rejected plans are not run). */
export function winningPlanStages(explain: unknown): string[] {
  const stagesIn = (node: unknown): string[] => {
    if (Array.isArray(node)) return node.flatMap(stagesIn);
    if (!isPlainDocument(node)) return [];
    const own = typeof node['stage'] === 'string' ? [node['stage']] : [];
    return [...own, ...Object.values(node).flatMap(stagesIn)];
  };
  const winningPlansIn = (node: unknown): unknown[] => {
    if (Array.isArray(node)) return node.flatMap(winningPlansIn);
    if (!isPlainDocument(node)) return [];
    return Object.entries(node).flatMap(([field, value]) => (field === 'winningPlan' ? [value] : winningPlansIn(value)));
  };
  return winningPlansIn(explain).flatMap(stagesIn);
}

function keyFields(key: IndexDescription['key']): string[] {
  return key instanceof Map ? [...key.keys()] : Object.keys(key);
}

/** `_id` and the field each index of the collection leads with. */
export function leadingFields(indexes: IndexList, collection: string): Set<string> {
  const leading = indexes.filter(([name]) => name === collection).map(([, index]) => keyFields(index.key)[0]);
  return new Set(['_id', ...leading.filter((field) => field !== undefined)]);
}

const isOperatorDocument = (value: unknown): value is Fields =>
  isPlainDocument(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => key.startsWith('$'));

/** Operators MongoDB turns into index bounds. */
const BOUNDING_OPERATORS = new Set(['$eq', '$in', '$gt', '$gte', '$lt', '$lte']);

/** MongoDB: the filter, or each branch of an `$or` in it, constrains a leading field. */
function usesAnIndexOnMongo(filter: Fields, leading: ReadonlySet<string>): boolean {
  return Object.entries(filter).some(([field, value]) => {
    if (field === '$and') return asList(value).map(asFields).some((part) => usesAnIndexOnMongo(part, leading));
    if (field === '$or') {
      const branches = asList(value).map(asFields);
      return branches.length > 0 && branches.every((branch) => usesAnIndexOnMongo(branch, leading));
    }
    if (!leading.has(field)) return false;
    return !isOperatorDocument(value) || Object.keys(value).some((operator) => BOUNDING_OPERATORS.has(operator));
  });
}

/** FerretDB v1: the fields of the top-level scalar equalities it pushes down that an index leads with. */
function pushedDownBounds(filter: Fields, leading: ReadonlySet<string>): string[] {
  const pushedDown = (value: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof value);
  return Object.entries(filter)
    .filter(([field, value]) => !field.startsWith('$') && !field.includes('.') && pushedDown(value))
    .map(([field]) => field)
    .filter((field) => leading.has(field));
}

/** Values as their kinds, so that a filter reads as its shape: `{talk_id: <string>, seq: {$gt: <number>}}`. */
export function shapeOf(value: unknown): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' || typeof value === 'number') return `<${typeof value}>`;
  if (value instanceof Date) return '<date>';
  if (Array.isArray(value)) return `[${value.map(shapeOf).join(', ')}]`;
  if (value instanceof Map) return shapeOf(Object.fromEntries(value));
  if (isPlainDocument(value)) return `{${Object.entries(value).map(([field, inner]) => `${field}: ${shapeOf(inner)}`).join(', ')}}`;
  return `<${typeof value}>`;
}

export function describeQuery(query: RecordedQuery): string {
  const sort = query.sort === undefined ? 'none' : shapeOf(query.sort);
  return `${query.source}: ${query.collection}.${query.kind}(${shapeOf(query.filter)}), sort ${sort}`;
}

/** The repository function of a source: `talks.listParticipants (of a status)` → `talks.listParticipants`. */
const functionOf = (source: string): string => source.split(' ')[0] ?? source;

export function checkQueries(queries: readonly RecordedQuery[], indexes: IndexList, exemptions: readonly Exemption[]): QueryCheck {
  const mongoViolations: string[] = [];
  const ferretViolations: string[] = [];
  const usedExemptions = new Set<Exemption>();
  const boundingFields = new Map<string, Set<string>>();
  for (const query of queries) {
    const leading = leadingFields(indexes, query.collection);
    const leadingList = [...leading].join(', ');
    if (!usesAnIndexOnMongo(query.filter, leading)) {
      mongoViolations.push(`${describeQuery(query)}: constrains none of ${leadingList} (MongoDB scans the collection)`);
    }
    const bounds = pushedDownBounds(query.filter, leading);
    const fields = boundingFields.get(query.collection) ?? new Set<string>();
    for (const field of bounds) fields.add(field);
    boundingFields.set(query.collection, fields);
    if (bounds.length > 0) continue;
    const exemption = exemptions.find(({ fn, collection }) => fn === functionOf(query.source) && collection === query.collection);
    if (exemption === undefined) {
      ferretViolations.push(
        `${describeQuery(query)}: no top-level string, number or boolean equality on ${leadingList} (FerretDB v1 reads the whole collection)`,
      );
    } else {
      usedExemptions.add(exemption);
    }
  }
  for (const [collection, fields] of boundingFields) if (fields.size === 0) boundingFields.delete(collection);
  return { mongoViolations, ferretViolations, unusedExemptions: exemptions.filter((e) => !usedExemptions.has(e)), boundingFields };
}
