-- Row-level security applies to the table owner too (FORCE), and each role gets only the
-- privileges it needs. Every later migration that adds a table does the same for it.
ALTER TABLE workspaces FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE roles FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE workspace_members FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE teams FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE team_members FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE rate_limits FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON workspaces, roles, workspace_members, teams, team_members, invitations, api_keys TO sen_app;
--> statement-breakpoint
GRANT SELECT (id, email, name, locale, created_at, updated_at, last_sign_in_at), UPDATE (name, locale, updated_at) ON users TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_log TO sen_app;
--> statement-breakpoint
GRANT SELECT (id, user_id, workspace_id), DELETE ON sessions TO sen_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE audit_log_id_seq TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sen_system;
--> statement-breakpoint
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO sen_system;
