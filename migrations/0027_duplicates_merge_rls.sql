-- Duplicates and merge: force row-level security and grant sen_app / sen_system what the services
-- need (as 0020 does for imports). Pairs are computed as sen_system (the trigram candidates need
-- their index, which RLS would not use: see sen_match_ids in 0007) and read as sen_app.
ALTER TABLE duplicate_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE duplicate_pairs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE record_merges FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON duplicate_settings, duplicate_pairs, record_merges TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON duplicate_settings, duplicate_pairs, record_merges TO sen_system;
--> statement-breakpoint
-- A merge re-points saved views' filters that name a merged record to the survivor, other
-- users' private views included (RLS hides those from the merging user: policy private_to_owner).
-- Runs as sen_system, in the CURRENT workspace only (sen_workspace_id()), and returns each changed
-- view's definition as it was, for the merge's undo. UUIDs are unique strings (of hex digits and
-- dashes, in either case): a textual replace touches nothing else.
CREATE OR REPLACE FUNCTION sen_merge_view_refs(p_from uuid[], p_to uuid)
RETURNS TABLE(view_id uuid, old_definition jsonb) LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
  ws uuid := sen_workspace_id();
  r record;
  txt text;
  f uuid;
BEGIN
  IF ws IS NULL OR coalesce(cardinality(p_from), 0) = 0 THEN
    RETURN;
  END IF;
  FOR r IN
    SELECT v.id, v.definition FROM saved_views v
     WHERE v.workspace_id = ws
       AND EXISTS (SELECT 1 FROM unnest(p_from) x WHERE strpos(lower(v.definition::text), x::text) > 0)
     ORDER BY v.id FOR UPDATE
  LOOP
    txt := r.definition::text;
    FOREACH f IN ARRAY p_from LOOP
      txt := regexp_replace(txt, f::text, p_to::text, 'gi');
    END LOOP;
    UPDATE saved_views SET definition = txt::jsonb, updated_at = now() WHERE id = r.id;
    view_id := r.id;
    old_definition := r.definition;
    RETURN NEXT;
  END LOOP;
END
$$;
--> statement-breakpoint
-- The undo: puts back the definitions of p_views ([{ id, definition }]) in the current workspace,
-- where a view still has what the merge wrote (p_from replaced by p_to); a view changed since
-- keeps its change. Returns how many were put back.
CREATE OR REPLACE FUNCTION sen_unmerge_view_refs(p_views jsonb, p_from uuid[], p_to uuid)
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
  ws uuid := sen_workspace_id();
  e jsonb;
  txt text;
  f uuid;
  n integer := 0;
  k integer;
BEGIN
  IF ws IS NULL THEN
    RETURN 0;
  END IF;
  FOR e IN SELECT * FROM jsonb_array_elements(coalesce(p_views, '[]'::jsonb)) LOOP
    txt := (e->'definition')::text;
    FOREACH f IN ARRAY p_from LOOP
      txt := regexp_replace(txt, f::text, p_to::text, 'gi');
    END LOOP;
    UPDATE saved_views SET definition = e->'definition', updated_at = now()
     WHERE workspace_id = ws AND id = (e->>'id')::uuid AND definition = txt::jsonb;
    GET DIAGNOSTICS k = ROW_COUNT;
    n := n + k;
  END LOOP;
  RETURN n;
END
$$;
--> statement-breakpoint
-- Owning a function needs CREATE on its schema, which sen_system keeps only for this (as 0007).
GRANT CREATE ON SCHEMA public TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_merge_view_refs(uuid[], uuid) OWNER TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_unmerge_view_refs(jsonb, uuid[], uuid) OWNER TO sen_system;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM sen_system;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sen_merge_view_refs(uuid[], uuid) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sen_unmerge_view_refs(jsonb, uuid[], uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sen_merge_view_refs(uuid[], uuid) TO sen_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sen_unmerge_view_refs(jsonb, uuid[], uuid) TO sen_app;
