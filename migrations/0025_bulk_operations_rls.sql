-- Bulk operations: force row-level security and grant sen_app / sen_system what the services
-- and the jobs need (as 0020 does for imports).
ALTER TABLE bulk_operations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE bulk_operation_rows FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON bulk_operations, bulk_operation_rows TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON bulk_operations, bulk_operation_rows TO sen_system;
