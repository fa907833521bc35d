-- Last used views: force row-level security and grant sen_app / sen_system what the services need
-- (as 0014 does for products).
ALTER TABLE last_used_views FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON last_used_views TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON last_used_views TO sen_system;
