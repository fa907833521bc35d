CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"owner_id" uuid,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sort_name" text DEFAULT '' NOT NULL,
	"search_name" text DEFAULT '' NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"family_name" text,
	"middle_name" text,
	"given_name" text,
	"display_name" text NOT NULL,
	"emails" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"phones" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"primary_email" text,
	"primary_phone" text,
	"company_name" text,
	"tax_code" text,
	"job_title" text,
	"addresses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"province_code" text,
	"ward_code" text,
	"source" text,
	"campaign" text,
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"utm_term" text,
	"utm_content" text,
	"referrer" text,
	"landing_page" text,
	"status" text DEFAULT 'new' NOT NULL,
	"disqualified_reason" text,
	"score" integer DEFAULT 0 NOT NULL,
	"grade" text DEFAULT 'D' NOT NULL,
	"score_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"converted_at" timestamp with time zone,
	"converted_contact_id" uuid,
	"converted_company_id" uuid,
	"converted_deal_id" uuid,
	CONSTRAINT "leads_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "leads_status_check" CHECK (status IN ('new', 'contacted', 'qualified', 'disqualified', 'converted')),
	CONSTRAINT "leads_grade_check" CHECK (grade IN ('A', 'B', 'C', 'D'))
);
--> statement-breakpoint
ALTER TABLE "leads" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "score_events" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"record_id" uuid NOT NULL,
	"event_key" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
ALTER TABLE "score_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "scoring_rules" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"kind" text NOT NULL,
	"label" jsonb NOT NULL,
	"condition" jsonb,
	"event_key" text,
	"points" integer NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	CONSTRAINT "scoring_rules_points_range" CHECK (points BETWEEN -1000 AND 1000),
	CONSTRAINT "scoring_rules_kind_shape" CHECK ((kind = 'field' AND condition IS NOT NULL AND event_key IS NULL)
        OR (kind = 'event' AND event_key IS NOT NULL AND condition IS NULL))
);
--> statement-breakpoint
ALTER TABLE "scoring_rules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "scoring_settings" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"grade_a" integer NOT NULL,
	"grade_b" integer NOT NULL,
	"grade_c" integer NOT NULL,
	"decay_per_week" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scoring_settings_object_key" UNIQUE("workspace_id","object"),
	CONSTRAINT "scoring_settings_grades_order" CHECK (grade_a > grade_b AND grade_b > grade_c),
	CONSTRAINT "scoring_settings_decay_range" CHECK (decay_per_week BETWEEN 0 AND 1000)
);
--> statement-breakpoint
ALTER TABLE "scoring_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_owner_fk" FOREIGN KEY ("workspace_id","owner_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leads_list_updated_idx" ON "leads" USING btree ("workspace_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "leads_list_created_idx" ON "leads" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "leads_list_name_idx" ON "leads" USING btree ("workspace_id","sort_name","id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "leads_owner_idx" ON "leads" USING btree ("workspace_id","owner_id","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "leads_search_name_idx" ON "leads" USING btree ("workspace_id","search_name" text_pattern_ops) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "leads_trash_idx" ON "leads" USING btree ("workspace_id","deleted_at") WHERE deleted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "leads_tags_idx" ON "leads" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "leads_custom_idx" ON "leads" USING gin ("custom" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "leads_search_trgm_idx" ON "leads" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_status_idx" ON "leads" USING btree ("workspace_id","status","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "leads_score_idx" ON "leads" USING btree ("workspace_id","score" DESC NULLS LAST,"id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "leads_source_idx" ON "leads" USING btree ("workspace_id","source","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "leads_province_idx" ON "leads" USING btree ("workspace_id","province_code","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "leads_email_idx" ON "leads" USING btree ("workspace_id","primary_email" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "leads_phone_idx" ON "leads" USING btree ("workspace_id","primary_phone");--> statement-breakpoint
CREATE INDEX "leads_phones_idx" ON "leads" USING gin ("phones" jsonb_path_ops) WITH (fastupdate=off);--> statement-breakpoint
CREATE INDEX "leads_emails_idx" ON "leads" USING gin ("emails" jsonb_path_ops) WITH (fastupdate=off);--> statement-breakpoint
CREATE INDEX "score_events_record_idx" ON "score_events" USING btree ("workspace_id","object","record_id","occurred_at");--> statement-breakpoint
CREATE INDEX "scoring_rules_object_idx" ON "scoring_rules" USING btree ("workspace_id","object","position");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "leads" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "leads" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "score_events" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "score_events" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "scoring_rules" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "scoring_rules" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "scoring_settings" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "scoring_settings" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
-- Leads and scoring: force row-level security and grant sen_app / sen_system what the services
-- and the jobs need (as 0014 does for products); leads' version bumps on every update (0030).
ALTER TABLE leads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE scoring_rules FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE scoring_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE score_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON leads, scoring_rules, scoring_settings, score_events TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON leads, scoring_rules, scoring_settings, score_events TO sen_system;
--> statement-breakpoint
CREATE TRIGGER leads_version BEFORE UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION sen_bump_version();
