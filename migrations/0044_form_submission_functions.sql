-- Public form submissions (issue #19) in fewer statements, each planned once per connection.
--
-- sen_form_hit: the form of a public key with this submission counted, in ONE call (the app
-- calls it as sen_app, outside any workspace, as a named statement). The form's row as jsonb
-- (column names as keys) with its workspace's locale and name, and the counters of the current
-- window (form_rate_windows: one per form and client IP, then, only if that is within the
-- form's per-IP limit, one per form, so a flood from one address does not use up everyone's
-- allowance). An unknown key: no row; a form turned off: its row, counted nowhere (hits 0).
-- The IP's row is always locked before the form's, so two calls never wait on each other in a
-- cycle. The counters are not worth a disk flush each: the call's transaction commits without
-- waiting for it (a crash loses the last instant's counts).
CREATE OR REPLACE FUNCTION sen_form_hit(p_key text, p_ip text, p_window timestamptz)
RETURNS TABLE (form jsonb, workspace_locale text, workspace_name text, ip_hits integer, form_hits integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
  f lead_forms%ROWTYPE;
BEGIN
  SELECT * INTO f FROM lead_forms WHERE public_key = p_key;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT w.locale, w.name INTO workspace_locale, workspace_name FROM workspaces w WHERE w.id = f.workspace_id;
  form := to_jsonb(f);
  ip_hits := 0;
  form_hits := 0;
  IF f.active THEN
    INSERT INTO form_rate_windows AS w (key, window_start, hits)
    VALUES ('ip:' || f.id || ':' || p_ip, p_window, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET hits = w.hits + 1
    RETURNING w.hits INTO ip_hits;
    IF ip_hits <= f.rate_per_ip THEN
      INSERT INTO form_rate_windows AS w (key, window_start, hits)
      VALUES ('form:' || f.id, p_window, 1)
      ON CONFLICT (key, window_start) DO UPDATE SET hits = w.hits + 1
      RETURNING w.hits INTO form_hits;
    END IF;
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  RETURN NEXT;
END
$$;
--> statement-breakpoint
-- sen_form_match: the live contact, else the open lead (not converted nor disqualified), with
-- the smallest id holding one of these emails or phones (normalised), in the CURRENT workspace
-- (sen_workspace_id(); none set: nothing). Runs as sen_system and writes the tenant condition
-- itself, as sen_match_list_values (0028), so the lists' GIN indexes serve it under RLS; its
-- statements are static, so PostgreSQL plans them once per connection.
CREATE OR REPLACE FUNCTION sen_form_match(p_emails text[], p_phones text[])
RETURNS TABLE (object text, id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
  ws uuid := sen_workspace_id();
BEGIN
  IF ws IS NULL THEN
    RETURN;
  END IF;
  -- Each match a GIN probe per value; the smallest id taken after (a LIMIT inside would let the
  -- planner walk the table in id order hoping to meet a match early).
  RETURN QUERY
    WITH m AS MATERIALIZED (
      SELECT c.id FROM unnest(p_emails) AS v(value)
        JOIN contacts c ON c.emails @> jsonb_build_array(jsonb_build_object('value', v.value))
       WHERE c.workspace_id = ws AND c.deleted_at IS NULL
      UNION
      SELECT c.id FROM unnest(p_phones) AS v(value)
        JOIN contacts c ON c.phones @> jsonb_build_array(jsonb_build_object('value', v.value))
       WHERE c.workspace_id = ws AND c.deleted_at IS NULL)
    SELECT 'contacts'::text, m.id FROM m ORDER BY m.id LIMIT 1;
  IF FOUND THEN
    RETURN;
  END IF;
  RETURN QUERY
    WITH m AS MATERIALIZED (
      SELECT l.id, l.status FROM unnest(p_emails) AS v(value)
        JOIN leads l ON l.emails @> jsonb_build_array(jsonb_build_object('value', v.value))
       WHERE l.workspace_id = ws AND l.deleted_at IS NULL
      UNION
      SELECT l.id, l.status FROM unnest(p_phones) AS v(value)
        JOIN leads l ON l.phones @> jsonb_build_array(jsonb_build_object('value', v.value))
       WHERE l.workspace_id = ws AND l.deleted_at IS NULL)
    SELECT 'leads'::text, m.id FROM m
     WHERE m.status NOT IN ('converted', 'disqualified')
     ORDER BY m.id LIMIT 1;
END
$$;
--> statement-breakpoint
-- Owning a function needs CREATE on its schema, which sen_system keeps only for this.
GRANT CREATE ON SCHEMA public TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_form_hit(text, text, timestamptz) OWNER TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_form_match(text[], text[]) OWNER TO sen_system;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM sen_system;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sen_form_hit(text, text, timestamptz) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sen_form_match(text[], text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sen_form_hit(text, text, timestamptz) TO sen_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sen_form_match(text[], text[]) TO sen_app;
