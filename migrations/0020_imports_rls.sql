-- Imports: force row-level security and grant sen_app / sen_system what the services need
-- (as 0014 does for products). Rows of an import are written and read with their import only.
ALTER TABLE imports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE import_rows FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE import_templates FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON imports, import_rows, import_templates TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON imports, import_rows, import_templates TO sen_system;
