-- Products: force row-level security and grant sen_app / sen_system what the services need
-- (as 0005 does for the customer records).
ALTER TABLE products FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON products TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON products TO sen_system;
