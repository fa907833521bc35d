-- Extensions, helper functions and database roles that every later migration relies on.
-- Written for both PostgreSQL 15 and PGlite (PostgreSQL 18).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS citext;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pgcrypto;
--> statement-breakpoint
-- Time-ordered UUIDs (RFC 9562 version 7); PostgreSQL 15 has no uuidv7().
CREATE OR REPLACE FUNCTION sen_uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
        FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;
--> statement-breakpoint
-- The tenant of the current transaction, set with set_config(..., true) by the app.
CREATE OR REPLACE FUNCTION sen_workspace_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('sen.workspace_id', true), '')::uuid
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sen_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('sen.user_id', true), '')::uuid
$$;
--> statement-breakpoint
-- unaccent() is STABLE (it depends on a dictionary); this wrapper pins the dictionary so it
-- can be used in indexes. Folds đ/Đ to d as well.
CREATE OR REPLACE FUNCTION sen_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT public.unaccent('public.unaccent'::regdictionary, $1)
$$;
--> statement-breakpoint
-- Roles are cluster-wide: create them once, then let the connecting user switch to them.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sen_app') THEN
    CREATE ROLE sen_app NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sen_system') THEN
    CREATE ROLE sen_system NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
    WHERE r.rolname = 'sen_app' AND m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)
  ) THEN
    EXECUTE format('GRANT sen_app TO %I', current_user);
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
    WHERE r.rolname = 'sen_system' AND m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user)
  ) THEN
    EXECUTE format('GRANT sen_system TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO sen_app, sen_system;
