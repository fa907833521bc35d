CREATE TABLE "company_profiles" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"legal_name" text,
	"short_name" text,
	"address" text,
	"tax_code" text,
	"phone" text,
	"email" text,
	"website" text,
	"bank_bin" text,
	"bank_account_number" text,
	"bank_account_name" text,
	"payment_terms_days" integer DEFAULT 30 NOT NULL,
	"quote_validity_days" integer DEFAULT 15 NOT NULL,
	"default_vat_rate" text DEFAULT '10' NOT NULL,
	"logo" "bytea",
	"logo_type" text,
	"logo_sha256" text,
	"logo_updated_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "company_profiles_days_check" CHECK (payment_terms_days BETWEEN 0 AND 365 AND quote_validity_days BETWEEN 1 AND 365),
	CONSTRAINT "company_profiles_vat_check" CHECK (default_vat_rate IN ('0', '5', '8', '10', 'none')),
	CONSTRAINT "company_profiles_logo_check" CHECK ((logo IS NULL AND logo_type IS NULL)
        OR (logo_type IN ('image/png', 'image/jpeg') AND octet_length(logo) <= 1048576))
);
--> statement-breakpoint
ALTER TABLE "company_profiles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "document_number_formats" (
	"workspace_id" uuid NOT NULL,
	"doc_type" text NOT NULL,
	"format" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "document_number_formats_pkey" PRIMARY KEY("workspace_id","doc_type"),
	CONSTRAINT "document_number_formats_length_check" CHECK (char_length(format) BETWEEN 1 AND 40)
);
--> statement-breakpoint
ALTER TABLE "document_number_formats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "document_sequences" (
	"workspace_id" uuid NOT NULL,
	"doc_type" text NOT NULL,
	"period" text DEFAULT '' NOT NULL,
	"next_value" bigint DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "document_sequences_pkey" PRIMARY KEY("workspace_id","doc_type","period"),
	CONSTRAINT "document_sequences_next_check" CHECK (next_value >= 1)
);
--> statement-breakpoint
ALTER TABLE "document_sequences" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "company_profiles" ADD CONSTRAINT "company_profiles_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_number_formats" ADD CONSTRAINT "document_number_formats_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_sequences" ADD CONSTRAINT "document_sequences_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "company_profiles" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "company_profiles" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "document_number_formats" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "document_number_formats" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "document_sequences" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "document_sequences" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
-- Force row-level security and grant what the services need (as 0035). Counters and formats are
-- never deleted by the app (a workspace's deletion cascades); the profile is one row per workspace.
ALTER TABLE document_sequences FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE document_number_formats FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE company_profiles FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON document_sequences, document_number_formats, company_profiles TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON document_sequences, document_number_formats, company_profiles TO sen_system;
