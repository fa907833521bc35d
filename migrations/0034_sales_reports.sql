CREATE TABLE "forecast_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"taken_on" date NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"owner_id" uuid,
	"won_amount" bigint NOT NULL,
	"weighted_amount" bigint NOT NULL,
	"open_amount" bigint NOT NULL,
	"open_count" integer NOT NULL,
	"won_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forecast_snapshots_key" UNIQUE NULLS NOT DISTINCT("workspace_id","period_kind","period_start","taken_on","pipeline_id","owner_id")
);
--> statement-breakpoint
ALTER TABLE "forecast_snapshots" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sales_targets" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"month" date NOT NULL,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_targets_user_month_key" UNIQUE("workspace_id","user_id","month"),
	CONSTRAINT "sales_targets_month_start" CHECK (extract(day from month) = 1),
	CONSTRAINT "sales_targets_amount_range" CHECK (amount BETWEEN 0 AND 1000000000000000)
);
--> statement-breakpoint
ALTER TABLE "sales_targets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sales_targets" ADD CONSTRAINT "sales_targets_member_fk" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "forecast_snapshots_period_idx" ON "forecast_snapshots" USING btree ("workspace_id","period_kind","period_start");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "forecast_snapshots" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "forecast_snapshots" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sales_targets" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "sales_targets" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE sales_targets FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE forecast_snapshots FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON sales_targets, forecast_snapshots TO sen_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON sales_targets, forecast_snapshots TO sen_system;
