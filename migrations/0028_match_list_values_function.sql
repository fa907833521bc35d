-- Duplicate keys kept in a jsonb list of {"value": …} (a contact's or company's phones and
-- emails) matched through their GIN index (jsonb_path_ops). Under row-level security PostgreSQL
-- uses an index only for a LEAKPROOF condition and `@>` is not one: as sen_app, matching an
-- import batch's 500 phones walked the whole table once per phone (40 s a batch at 100,000
-- contacts). Like sen_match_ids (0007), this runs as sen_system and writes the tenant condition
-- itself from the setting the policies read (sen_workspace_id()); the caller then loads the
-- records `id = ANY(…)` / joined by id under RLS, keeping its own conditions and scope.
--
-- For each of p_values, the ids of at most p_cap live rows of p_table in the CURRENT workspace
-- whose jsonb column p_column holds {"value": that value}. No workspace set → nothing. A table
-- that is not a record table with such a column is refused.
CREATE OR REPLACE FUNCTION sen_match_list_values(p_table text, p_column text, p_values text[], p_cap integer)
-- ROWS 500: about one row a value for an import batch (the default guess of 1,000 made the
-- caller's join look big enough for JIT compilation, ~8 ms a call on PostgreSQL 15).
RETURNS TABLE (value text, id uuid) LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 500
SET search_path = public, pg_temp AS $$
DECLARE
  ws uuid := sen_workspace_id();
  n_columns integer;
BEGIN
  SELECT count(*) INTO n_columns
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
   WHERE c.oid = to_regclass('public.' || quote_ident(p_table))
     AND c.relkind = 'r' AND c.relrowsecurity
     AND ((a.attname IN ('id', 'workspace_id') AND a.atttypid = 'uuid'::regtype)
       OR (a.attname = p_column AND a.atttypid = 'jsonb'::regtype)
       OR (a.attname = 'deleted_at' AND a.atttypid = 'timestamptz'::regtype));
  IF n_columns <> 4 OR p_column IN ('id', 'workspace_id', 'deleted_at') THEN
    RAISE EXCEPTION 'sen_match_list_values: %.% is not a record table''s jsonb list', p_table, p_column
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF ws IS NULL OR coalesce(cardinality(p_values), 0) = 0 THEN
    RETURN;
  END IF;
  -- The cap is a window over the matches, not a LIMIT per value: under a LIMIT the planner
  -- hoped to meet the rows early in a sequential scan (the GIN estimate is a guess) and walked
  -- the table once per value.
  RETURN QUERY EXECUTE format(
    'SELECT s.v, s.id FROM (
       SELECT w.v, t.id, row_number() OVER (PARTITION BY w.v) AS n
         FROM unnest($2) AS w(v)
         JOIN public.%I t ON t.%I @> jsonb_build_array(jsonb_build_object(''value'', w.v))
        WHERE t.workspace_id = $1 AND t.deleted_at IS NULL) s
      WHERE s.n <= $3',
    p_table, p_column)
    USING ws, p_values, p_cap;
END
$$;
--> statement-breakpoint
-- Owning a function needs CREATE on its schema, which sen_system keeps only for this.
GRANT CREATE ON SCHEMA public TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_match_list_values(text, text, text[], integer) OWNER TO sen_system;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM sen_system;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sen_match_list_values(text, text, text[], integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sen_match_list_values(text, text, text[], integer) TO sen_app;
