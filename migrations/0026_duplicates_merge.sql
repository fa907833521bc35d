CREATE TABLE "duplicate_pairs" (
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"record_a" uuid NOT NULL,
	"record_b" uuid NOT NULL,
	"score" integer NOT NULL,
	"evidence" jsonb NOT NULL,
	"dismissed_at" timestamp with time zone,
	"dismissed_by" uuid,
	CONSTRAINT "duplicate_pairs_pkey" PRIMARY KEY("workspace_id","object","record_a","record_b"),
	CONSTRAINT "duplicate_pairs_ordered" CHECK (record_a < record_b)
);
--> statement-breakpoint
ALTER TABLE "duplicate_pairs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "duplicate_settings" (
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"threshold" real DEFAULT 0.6 NOT NULL,
	"scanned_at" timestamp with time zone,
	CONSTRAINT "duplicate_settings_pkey" PRIMARY KEY("workspace_id","object"),
	CONSTRAINT "duplicate_settings_threshold_range" CHECK (threshold >= 0.3 AND threshold <= 1)
);
--> statement-breakpoint
ALTER TABLE "duplicate_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "record_merges" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"survivor_id" uuid NOT NULL,
	"merged_ids" uuid[] NOT NULL,
	"survivor_before" jsonb NOT NULL,
	"survivor_updated_at" timestamp with time zone NOT NULL,
	"moved" jsonb NOT NULL,
	"merged_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	"undone_by" uuid
);
--> statement-breakpoint
ALTER TABLE "record_merges" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "duplicate_pairs" ADD CONSTRAINT "duplicate_pairs_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_settings" ADD CONSTRAINT "duplicate_settings_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_merges" ADD CONSTRAINT "record_merges_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duplicate_pairs_rank_idx" ON "duplicate_pairs" USING btree ("workspace_id","object","score" DESC NULLS LAST,"record_a","record_b");--> statement-breakpoint
CREATE INDEX "duplicate_pairs_record_b_idx" ON "duplicate_pairs" USING btree ("workspace_id","record_b");--> statement-breakpoint
CREATE INDEX "record_merges_survivor_idx" ON "record_merges" USING btree ("workspace_id","object","survivor_id");--> statement-breakpoint
CREATE INDEX "record_merges_merged_idx" ON "record_merges" USING gin ("merged_ids");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "duplicate_pairs" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "duplicate_pairs" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "duplicate_settings" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "duplicate_settings" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "record_merges" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "record_merges" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);