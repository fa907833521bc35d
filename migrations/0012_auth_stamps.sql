-- Cheap confirmation of a cached principal. A node caches the principal of a session or API key
-- (user, role, permissions, team mates…) and, on the next request, only asks the database whether
-- it still holds: a "stamp", the workspace id and its auth_version, which triggers bump in the
-- transaction of every change to what a principal is made of. sen_*_principal read the stamp
-- BEFORE the principal, so a principal is at least as new as its stamp: a change committed in
-- between leaves a stale stamp, which only costs a refresh, never a stale principal accepted.

-- Bump the workspace(s) of the changed row. SECURITY DEFINER (sen_system): the row may be of
-- another workspace than the caller's context (a user's rename touches all of theirs).
CREATE OR REPLACE FUNCTION sen_bump_auth_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE workspaces SET auth_version = auth_version + 1 WHERE id = OLD.workspace_id;
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.workspace_id IS DISTINCT FROM OLD.workspace_id) THEN
    UPDATE workspaces SET auth_version = auth_version + 1 WHERE id = NEW.workspace_id;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A user's name, email and locale are part of their principal in every workspace they are in.
CREATE OR REPLACE FUNCTION sen_bump_user_auth_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE workspaces SET auth_version = auth_version + 1
   WHERE id IN (SELECT workspace_id FROM workspace_members WHERE user_id = NEW.id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Not the touches (last_seen_at, last_used_at) nor a new session or key: they change no principal.
CREATE TRIGGER workspace_members_auth_version AFTER INSERT OR DELETE OR UPDATE OF workspace_id, user_id, role_id, status
  ON workspace_members FOR EACH ROW EXECUTE FUNCTION sen_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER roles_auth_version AFTER DELETE OR UPDATE
  ON roles FOR EACH ROW EXECUTE FUNCTION sen_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER team_members_auth_version AFTER INSERT OR DELETE OR UPDATE
  ON team_members FOR EACH ROW EXECUTE FUNCTION sen_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER sessions_auth_version AFTER DELETE OR UPDATE OF token_hash, csrf_token, user_id, workspace_id, expires_at
  ON sessions FOR EACH ROW EXECUTE FUNCTION sen_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER api_keys_auth_version AFTER DELETE OR UPDATE OF secret_hash, user_id, workspace_id, scopes, expires_at, revoked_at
  ON api_keys FOR EACH ROW EXECUTE FUNCTION sen_bump_auth_version();
--> statement-breakpoint
CREATE TRIGGER users_auth_version AFTER UPDATE OF email, name, locale
  ON users FOR EACH ROW EXECUTE FUNCTION sen_bump_user_auth_version();
--> statement-breakpoint
-- The app may edit a workspace's settings, never its auth_version.
REVOKE UPDATE ON workspaces FROM sen_app;
--> statement-breakpoint
GRANT UPDATE (name, locale, currency, timezone, updated_at) ON workspaces TO sen_app;
--> statement-breakpoint
-- The principal functions of 0003, now with the stamp, read before the principal.
CREATE OR REPLACE FUNCTION sen_session_principal(p_token_hash text, p_idle_seconds integer, p_touch_seconds integer)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  hit record;
BEGIN
  SELECT s.id, s.user_id, s.workspace_id, s.csrf_token, s.last_seen_at, s.expires_at, m.status AS member_status,
         s.workspace_id || '/' || w.auth_version AS stamp
    INTO hit
    FROM sessions s
    JOIN workspace_members m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id
    JOIN workspaces w ON w.id = s.workspace_id
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
  RETURN sen_principal(hit.user_id, hit.workspace_id) || jsonb_build_object('status', 'ok', 'session_id', hit.id, 'csrf_token', hit.csrf_token, 'stamp', hit.stamp);
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sen_api_key_principal(p_secret_hash text, p_touch_seconds integer)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  hit record;
BEGIN
  SELECT k.id, k.user_id, k.workspace_id, k.scopes, k.last_used_at, k.workspace_id || '/' || w.auth_version AS stamp
    INTO hit
    FROM api_keys k
    JOIN workspace_members m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id
    JOIN workspaces w ON w.id = k.workspace_id
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
  RETURN sen_principal(hit.user_id, hit.workspace_id) || jsonb_build_object('status', 'ok', 'api_key_id', hit.id, 'scopes', to_jsonb(hit.scopes), 'stamp', hit.stamp);
END
$$;
--> statement-breakpoint
-- Resume a cached principal: the credential's current stamp (NULL when it is unknown, expired or
-- idle: the full sen_session_principal then says which). When it is p_stamp, the cached
-- principal holds: the RLS context of the session's workspace and user is set for the rest of
-- the transaction, and last_seen_at is touched as sen_session_principal would.
CREATE OR REPLACE FUNCTION sen_session_resume(p_token_hash text, p_idle_seconds integer, p_touch_seconds integer, p_stamp text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  hit record;
BEGIN
  SELECT s.id, s.user_id, s.workspace_id, s.last_seen_at, s.expires_at,
         s.workspace_id || '/' || w.auth_version AS stamp
    INTO hit
    FROM sessions s
    JOIN workspaces w ON w.id = s.workspace_id
   WHERE s.token_hash = p_token_hash;
  IF NOT FOUND
     OR hit.expires_at <= now()
     OR hit.last_seen_at + make_interval(secs => p_idle_seconds) <= now() THEN
    RETURN NULL;
  END IF;
  IF hit.stamp IS DISTINCT FROM p_stamp THEN
    RETURN hit.stamp;
  END IF;
  IF hit.last_seen_at < now() - make_interval(secs => p_touch_seconds) THEN
    UPDATE sessions SET last_seen_at = now()
     WHERE id = hit.id AND last_seen_at < now() - make_interval(secs => p_touch_seconds);
  END IF;
  PERFORM set_config('sen.workspace_id', hit.workspace_id::text, true),
          set_config('sen.user_id', hit.user_id::text, true);
  RETURN hit.stamp;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sen_api_key_resume(p_secret_hash text, p_touch_seconds integer, p_stamp text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  hit record;
BEGIN
  SELECT k.id, k.user_id, k.workspace_id, k.last_used_at,
         k.workspace_id || '/' || w.auth_version AS stamp
    INTO hit
    FROM api_keys k
    JOIN workspaces w ON w.id = k.workspace_id
   WHERE k.secret_hash = p_secret_hash
     AND k.revoked_at IS NULL
     AND (k.expires_at IS NULL OR k.expires_at > now());
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF hit.stamp IS DISTINCT FROM p_stamp THEN
    RETURN hit.stamp;
  END IF;
  IF hit.last_used_at IS NULL OR hit.last_used_at < now() - make_interval(secs => p_touch_seconds) THEN
    UPDATE api_keys SET last_used_at = now()
     WHERE id = hit.id
       AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => p_touch_seconds));
  END IF;
  PERFORM set_config('sen.workspace_id', hit.workspace_id::text, true),
          set_config('sen.user_id', hit.user_id::text, true);
  RETURN hit.stamp;
END
$$;
--> statement-breakpoint
GRANT CREATE ON SCHEMA public TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_bump_auth_version() OWNER TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_bump_user_auth_version() OWNER TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_session_resume(text, integer, integer, text) OWNER TO sen_system;
--> statement-breakpoint
ALTER FUNCTION sen_api_key_resume(text, integer, text) OWNER TO sen_system;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM sen_system;
--> statement-breakpoint
REVOKE ALL ON FUNCTION sen_bump_auth_version(), sen_bump_user_auth_version(), sen_session_resume(text, integer, integer, text), sen_api_key_resume(text, integer, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sen_session_resume(text, integer, integer, text), sen_api_key_resume(text, integer, text) TO sen_app;
