-- Authentication in one statement. Every API request turns a session token or an API key into
-- the principal (user, workspace, role, team mates); doing it as one call to a function whose
-- plan PostgreSQL caches, instead of a transaction around a 4-table join, saves round trips and
-- planning on every request. The functions run as sen_system (SECURITY DEFINER), so the caller
-- needs nothing but EXECUTE; they return NULL when the credential is unknown.

-- A session: expired, idle or of a deactivated member → deleted, and {"status":"expired"}.
-- last_seen_at is touched at most every p_touch_seconds, and only by the first of several
-- concurrent requests (the others find it fresh once they get the row lock).
CREATE OR REPLACE FUNCTION sen_session_principal(p_token_hash text, p_idle_seconds integer, p_touch_seconds integer)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  hit record;
BEGIN
  SELECT s.id, s.user_id, s.workspace_id, s.csrf_token, s.last_seen_at, s.expires_at, m.status AS member_status
    INTO hit
    FROM sessions s
    JOIN workspace_members m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id
   WHERE s.token_hash = p_token_hash;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF hit.expires_at <= now()
     OR hit.last_seen_at + make_interval(secs => p_idle_seconds) <= now()
     OR hit.member_status <> 'active' THEN
    DELETE FROM sessions WHERE id = hit.id;
    RETURN jsonb_build_object('status', 'expired');
  END IF;
  IF hit.last_seen_at < now() - make_interval(secs => p_touch_seconds) THEN
    UPDATE sessions SET last_seen_at = now()
     WHERE id = hit.id AND last_seen_at < now() - make_interval(secs => p_touch_seconds);
  END IF;
  RETURN sen_principal(hit.user_id, hit.workspace_id) || jsonb_build_object('status', 'ok', 'session_id', hit.id, 'csrf_token', hit.csrf_token);
END
$$;
--> statement-breakpoint
-- An API key: revoked, expired or of a deactivated member → NULL, like an unknown key.
CREATE OR REPLACE FUNCTION sen_api_key_principal(p_secret_hash text, p_touch_seconds integer)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  hit record;
BEGIN
  SELECT k.id, k.user_id, k.workspace_id, k.scopes, k.last_used_at
    INTO hit
    FROM api_keys k
    JOIN workspace_members m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id
   WHERE k.secret_hash = p_secret_hash
     AND k.revoked_at IS NULL
     AND (k.expires_at IS NULL OR k.expires_at > now())
     AND m.status = 'active';
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF hit.last_used_at IS NULL OR hit.last_used_at < now() - make_interval(secs => p_touch_seconds) THEN
    UPDATE api_keys SET last_used_at = now()
     WHERE id = hit.id
       AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => p_touch_seconds));
  END IF;
  RETURN sen_principal(hit.user_id, hit.workspace_id) || jsonb_build_object('status', 'ok', 'api_key_id', hit.id, 'scopes', to_jsonb(hit.scopes));
END
$$;
--> statement-breakpoint
-- The principal behind a session or an API key: plpgsql, so PostgreSQL caches the plan of this
-- query per connection (a LANGUAGE sql function would be planned again on every call before
-- PostgreSQL 18).
CREATE OR REPLACE FUNCTION sen_principal(p_user_id uuid, p_workspace_id uuid)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT jsonb_build_object(
      'user_id', u.id, 'user_name', u.name, 'user_email', u.email::text, 'user_locale', u.locale,
      'workspace_id', m.workspace_id, 'member_status', m.status,
      'role_id', r.id, 'role_key', r.key, 'role_name', r.name, 'role_is_admin', r.is_admin,
      'role_permissions', r.permissions,
      'team_mate_ids', COALESCE((
        SELECT jsonb_agg(DISTINCT mate.user_id) FROM team_members mine
          JOIN team_members mate ON mate.team_id = mine.team_id
         WHERE mine.user_id = m.user_id AND mine.workspace_id = m.workspace_id), '[]'::jsonb))
    FROM workspace_members m
    JOIN users u ON u.id = m.user_id
    JOIN roles r ON r.id = m.role_id
    WHERE m.user_id = p_user_id AND m.workspace_id = p_workspace_id);
END
$$;
--> statement-breakpoint
-- Owning a function needs CREATE on its schema, which sen_system keeps only for this.
GRANT CREATE ON SCHEMA public TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_principal(uuid, uuid) OWNER TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_session_principal(text, integer, integer) OWNER TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_api_key_principal(text, integer) OWNER TO sen_system;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM sen_system;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sen_principal(uuid, uuid), sen_session_principal(text, integer, integer), sen_api_key_principal(text, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sen_session_principal(text, integer, integer), sen_api_key_principal(text, integer) TO sen_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sen_principal(uuid, uuid) TO sen_system;
