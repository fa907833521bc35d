-- Option lists: force row-level security and grant sen_app / sen_system what the services need
-- (as 0014 does for products).
ALTER TABLE field_option_lists FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON field_option_lists TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON field_option_lists TO sen_system;
