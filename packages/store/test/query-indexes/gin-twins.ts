/**
 * The GIN twins that the dev tooling's event trigger (scripts/ferretdb-postgresql.sql) gives the
 * fields FerretDB v1 indexes, read from PostgreSQL's catalog: a twin is a one-column GIN index
 * `((_jsonb -> 'field')) jsonb_path_ops`, the only kind that serves FerretDB's pushed-down
 * `_jsonb -> 'field' @> value`. FerretDB's own btree indexes do not count.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ferretdbPostgresqlUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  env['FERRETDB_POSTGRESQL_URL'] ?? 'postgres://postgres@127.0.0.1:5432/talk_ferretdb';

/** By collection, the fields that have a GIN twin, in the schema where FerretDB stores database `dbName`. */
export async function ginTwinsOf(pgUrl: string, dbName: string): Promise<Map<string, Set<string>>> {
  // The name goes into the SQL text (psql -c takes no parameters); test databases are named so.
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`unexpected database name ${dbName}`);
  // FerretDB names each collection's table in its metadata table (`customers` → `customers_c09344de`).
  const sql = `
    SELECT m._jsonb ->> '_id', substring(pg_get_indexdef(i.indexrelid, 1, false) FROM '^\\(\\(_jsonb -> ''([^'']+)''::text\\)\\)$')
      FROM ${dbName}._ferretdb_database_metadata m
      JOIN pg_class t ON t.relname = m._jsonb ->> 'table' AND t.relnamespace = '${dbName}'::regnamespace
      JOIN pg_index i ON i.indrelid = t.oid AND i.indnatts = 1 AND i.indisvalid
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'gin'
      JOIN pg_opclass oc ON oc.oid = i.indclass[0] AND oc.opcname = 'jsonb_path_ops'`;
  const { stdout } = await run('psql', [pgUrl, '-X', '-v', 'ON_ERROR_STOP=1', '-tAc', sql], { timeout: 10_000 });
  const twins = new Map<string, Set<string>>();
  for (const line of stdout.split('\n').filter((row) => row !== '')) {
    const [collection = '', field = ''] = line.split('|');
    if (field === '') continue; // a GIN index on another expression
    twins.set(collection, (twins.get(collection) ?? new Set<string>()).add(field));
  }
  return twins;
}
