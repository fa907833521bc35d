-- "Contains" candidates for record lists (`q=` and name `contains`, records/list.ts) through the
-- trigram GIN index. Under row-level security PostgreSQL uses an index only for a LEAKPROOF
-- condition, and LIKE is not one: as sen_app, `search_text LIKE '%x%'` walks a whole list index
-- (or the table). This function runs as sen_system (policy `true`, which the planner drops) and
-- writes the tenant condition itself, from the setting the policies read (sen_workspace_id()).
--
-- It returns the ids of at most p_cap rows of p_table in the CURRENT workspace whose
-- search_text is LIKE any of p_patterns, in the trash (p_trash) or not; the list then loads
-- `id = ANY(ids)` under RLS, keeping its own conditions. No workspace set → no ids. A table that
-- is not a record table (RLS, uuid id and workspace_id, text search_text, timestamptz
-- deleted_at) is refused.
--
-- NULL means "more than p_cap, do not bother": a common pattern is slow through the index (its
-- trigrams' posting lists are read in full before any LIMIT, ~60 ms for "nguyen" on 1M
-- contacts) while walking a list index finds a page of it at once. On a table of more than
-- p_cap rows, a sample of 1,000 of the workspace's rows tells the two apart first (~1 ms).
CREATE OR REPLACE FUNCTION sen_match_ids(p_table text, p_patterns text[], p_trash boolean, p_cap integer)
RETURNS uuid[] LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  ws uuid := sen_workspace_id();
  n_columns integer;
  table_rows real;
  sampled integer;
  hits integer;
  trash text := CASE WHEN p_trash THEN 'NOT' ELSE '' END;
  ids uuid[];
BEGIN
  SELECT count(*), max(c.reltuples) INTO n_columns, table_rows
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE c.oid = to_regclass('public.' || quote_ident(p_table))
     AND c.relkind = 'r' AND c.relrowsecurity
     AND ((a.attname IN ('id', 'workspace_id') AND a.atttypid = 'uuid'::regtype)
       OR (a.attname = 'search_text' AND a.atttypid = 'text'::regtype)
       OR (a.attname = 'deleted_at' AND a.atttypid = 'timestamptz'::regtype));
  IF n_columns <> 4 THEN
    RAISE EXCEPTION 'sen_match_ids: % is not a record table', p_table
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF ws IS NULL OR coalesce(cardinality(p_patterns), 0) = 0 THEN
    RETURN '{}';
  END IF;
  IF table_rows > p_cap THEN
    EXECUTE format(
      'SELECT count(*)::int, count(*) FILTER (WHERE s.search_text LIKE ANY ($2))::int FROM (
         SELECT t.search_text FROM public.%I t
          WHERE t.workspace_id = $1 AND t.deleted_at IS %s NULL
          LIMIT 1000) s',
      p_table, trash)
      INTO sampled, hits USING ws, p_patterns;
    -- Fewer than 1,000 rows: the sample is the whole workspace, hits is exact.
    IF (sampled = 1000 AND hits >= 5 AND hits * table_rows / 1000 > p_cap) OR hits > p_cap THEN
      RETURN NULL;
    END IF;
  END IF;
  -- Planned on every call with the pattern known (a custom plan), so it uses the trigram index.
  EXECUTE format(
    'SELECT coalesce(array_agg(id), ''{}'') FROM (
       SELECT t.id FROM public.%I t
        WHERE t.workspace_id = $1 AND t.deleted_at IS %s NULL AND t.search_text LIKE ANY ($2)
        LIMIT $3) m',
    p_table, trash)
    INTO ids USING ws, p_patterns, p_cap;
  RETURN ids;
END
$$;
--> statement-breakpoint
-- Owning a function needs CREATE on its schema, which sen_system keeps only for this.
GRANT CREATE ON SCHEMA public TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_match_ids(text, text[], boolean, integer) OWNER TO sen_system;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM sen_system;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sen_match_ids(text, text[], boolean, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sen_match_ids(text, text[], boolean, integer) TO sen_app;
