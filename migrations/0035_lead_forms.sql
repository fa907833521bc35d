CREATE TABLE "form_rate_windows" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "form_rate_windows_pkey" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
ALTER TABLE "form_rate_windows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "form_submissions" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"form_id" uuid NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL,
	"record_type" text,
	"record_id" uuid,
	"values" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"utm_term" text,
	"utm_content" text,
	"referrer" text,
	"landing_page" text,
	"ip" text,
	"user_agent" text,
	CONSTRAINT "form_submissions_outcome_check" CHECK (outcome IN ('lead_created', 'lead_matched', 'contact_matched', 'spam'))
);
--> statement-breakpoint
ALTER TABLE "form_submissions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_forms" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submit_label" jsonb NOT NULL,
	"after_submit" text DEFAULT 'message' NOT NULL,
	"thank_you" jsonb NOT NULL,
	"redirect_url" text,
	"source" text DEFAULT 'website' NOT NULL,
	"campaign" text,
	"active" boolean DEFAULT true NOT NULL,
	"public_key" text NOT NULL,
	"rate_per_ip" integer DEFAULT 10 NOT NULL,
	"rate_per_form" integer DEFAULT 300 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_forms_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "lead_forms_after_submit_check" CHECK (after_submit IN ('message', 'redirect')),
	CONSTRAINT "lead_forms_redirect_check" CHECK (after_submit <> 'redirect' OR redirect_url ~ '^https?://'),
	CONSTRAINT "lead_forms_rates_check" CHECK (rate_per_ip > 0 AND rate_per_form > 0)
);
--> statement-breakpoint
ALTER TABLE "lead_forms" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "form_submissions" ADD CONSTRAINT "form_submissions_form_fk" FOREIGN KEY ("workspace_id","form_id") REFERENCES "public"."lead_forms"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_forms" ADD CONSTRAINT "lead_forms_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "form_rate_windows_start_idx" ON "form_rate_windows" USING btree ("window_start");--> statement-breakpoint
CREATE INDEX "form_submissions_form_idx" ON "form_submissions" USING btree ("workspace_id","form_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "form_submissions_record_idx" ON "form_submissions" USING btree ("workspace_id","record_type","record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lead_forms_public_key_key" ON "lead_forms" USING btree ("public_key");--> statement-breakpoint
CREATE INDEX "lead_forms_workspace_idx" ON "lead_forms" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE POLICY "system_access" ON "form_rate_windows" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "form_submissions" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "form_submissions" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "lead_forms" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "lead_forms" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
-- Force row-level security and grant what the services need (as 0014). The rate-limit windows
-- are sen_system's only (the public endpoint counts before it knows a workspace).
ALTER TABLE lead_forms FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE form_submissions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE form_rate_windows FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON lead_forms, form_submissions TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON lead_forms, form_submissions, form_rate_windows TO sen_system;
