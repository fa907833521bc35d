-- Exports: force row-level security and grant sen_app / sen_system what the services and the
-- jobs need (as 0020 does for imports).
ALTER TABLE exports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON exports TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON exports TO sen_system;
