-- What the dev servers' FerretDB v1 needs from its PostgreSQL database so that a query's cost
-- does not grow with the whole collection (docs/storage.md, "Indexes FerretDB v1 cannot use").
-- Applied by scripts/dev-servers.sh to the database FerretDB stores in, before FerretDB starts;
-- idempotent. Nothing here is for MongoDB, and the services know nothing of it.
--
-- FerretDB v1 pushes an equality filter down as `_jsonb -> 'field' @> '<value>'`, but the indexes
-- it creates for `createIndexes` are btree indexes on `(_jsonb -> 'field')`, which cannot serve
-- `@>`: every query, `_id` lookups included, is a sequential scan of the whole table. So every
-- field of every index FerretDB creates gets a GIN twin on the same expression, which serves `@>`:
-- one twin per field, so that an exact match on two fields of an index (`talk_id` and `seq`) is
-- the intersection of two short lists, not every row of the talk. An event trigger makes the
-- twins whenever FerretDB creates an index (collections created later, every test database), and
-- the backfill below covers the indexes that exist already.
--
-- The twins are built with fastupdate off: with GIN's pending list on, rows inserted since the
-- last vacuum are searched one by one, and a freshly seeded collection answered in tens of ms.

SET client_min_messages = warning;

-- FerretDB names the field as a query parameter (`_jsonb -> $1`). A cached generic plan cannot
-- match that to an index expression, so every plan is made for its parameters.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END $$;

CREATE OR REPLACE FUNCTION talk_dev_gin_twins_of(index_oid oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  target record;
  position int;
  field text;
BEGIN
  SELECT c.relname AS table_name, n.nspname AS schema_name, i.indnatts AS columns, am.amname AS method
    INTO target
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
   WHERE i.indexrelid = index_oid;
  IF NOT FOUND OR target.method <> 'btree' THEN
    RETURN;
  END IF;
  FOR position IN 1..target.columns LOOP
    -- FerretDB's index columns read `((_jsonb -> 'field'::text))`; dotted paths are left alone.
    field := substring(pg_get_indexdef(index_oid, position, false) FROM '^\(\(_jsonb -> ''([^'']+)''::text\)\)$');
    CONTINUE WHEN field IS NULL;
    EXECUTE format(
      'CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops) WITH (fastupdate = off)',
      left(target.table_name, 40) || '_' || left(md5(field), 8) || '_gin',
      target.schema_name, target.table_name, field);
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION talk_dev_gin_twins_on_create_index() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    PERFORM talk_dev_gin_twins_of(created.objid);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS talk_dev_gin_twins;
CREATE EVENT TRIGGER talk_dev_gin_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION talk_dev_gin_twins_on_create_index();

-- The backfill: FerretDB's btree indexes that exist already.
DO $$
DECLARE
  existing record;
BEGIN
  FOR existing IN
    SELECT i.indexrelid
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = '_jsonb' AND NOT a.attisdropped
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  LOOP
    PERFORM talk_dev_gin_twins_of(existing.indexrelid);
  END LOOP;
END $$;
