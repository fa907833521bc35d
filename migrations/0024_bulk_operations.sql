CREATE TABLE "bulk_operation_rows" (
	"workspace_id" uuid NOT NULL,
	"operation_id" uuid NOT NULL,
	"record_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"error" jsonb,
	CONSTRAINT "bulk_operation_rows_pkey" PRIMARY KEY("operation_id","record_id")
);
--> statement-breakpoint
ALTER TABLE "bulk_operation_rows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "bulk_operations" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"action" text NOT NULL,
	"params" jsonb NOT NULL,
	"selection" jsonb NOT NULL,
	"status" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"undone" integer DEFAULT 0 NOT NULL,
	"undo_failed" integer DEFAULT 0 NOT NULL,
	"error" jsonb,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"undone_by" uuid,
	"undone_at" timestamp with time zone,
	CONSTRAINT "bulk_operations_counts_add_up" CHECK (changed + unchanged + failed = done AND done <= total AND undone + undo_failed <= changed)
);
--> statement-breakpoint
ALTER TABLE "bulk_operations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "bulk_operation_rows" ADD CONSTRAINT "bulk_operation_rows_operation_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."bulk_operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_operations" ADD CONSTRAINT "bulk_operations_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_operations" ADD CONSTRAINT "bulk_operations_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_operation_rows_outcome_idx" ON "bulk_operation_rows" USING btree ("operation_id","outcome","record_id");--> statement-breakpoint
CREATE INDEX "bulk_operations_list_idx" ON "bulk_operations" USING btree ("workspace_id","created_by","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "bulk_operation_rows" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "bulk_operation_rows" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "bulk_operations" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "bulk_operations" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);