CREATE TABLE "einvoice_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"base_url" text NOT NULL,
	"username" text NOT NULL,
	"secret_encrypted" text NOT NULL,
	"supplier_tax_code" text NOT NULL,
	"template_code" text NOT NULL,
	"series" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "einvoice_settings_base_url_check" CHECK (base_url ~ '^https?://')
);
--> statement-breakpoint
ALTER TABLE "einvoice_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "einvoice_submissions" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text DEFAULT 'invoices' NOT NULL,
	"record_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"transaction_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_at" timestamp with time zone,
	"template_code" text,
	"series" text,
	"invoice_number" text,
	"provider_invoice_id" text,
	"lookup_code" text,
	"tax_authority_code" text,
	"provider_status" text,
	"issued_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"error_code" text,
	"error_text" text,
	"raw_excerpt" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "einvoice_submissions_record_key" UNIQUE("workspace_id","object","record_id"),
	CONSTRAINT "einvoice_submissions_transaction_key" UNIQUE("workspace_id","provider","transaction_id"),
	CONSTRAINT "einvoice_submissions_object_check" CHECK (object = 'invoices'),
	CONSTRAINT "einvoice_submissions_status_check" CHECK (status IN ('submitting', 'issued', 'failed', 'cancelled', 'replaced', 'adjusted')),
	CONSTRAINT "einvoice_submissions_issued_check" CHECK (status IN ('submitting', 'failed') OR invoice_number IS NOT NULL),
	CONSTRAINT "einvoice_submissions_attempts_check" CHECK (attempts >= 0)
);
--> statement-breakpoint
ALTER TABLE "einvoice_submissions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "einvoice_settings" ADD CONSTRAINT "einvoice_settings_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "einvoice_submissions" ADD CONSTRAINT "einvoice_submissions_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "einvoice_submissions_status_idx" ON "einvoice_submissions" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "einvoice_settings" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "einvoice_settings" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "einvoice_submissions" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "einvoice_submissions" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
-- Force row-level security and grant what the services need (as 0035). The submissions name
-- their Sen invoice by (object, record_id) without a foreign key until the invoices table lands.
ALTER TABLE einvoice_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE einvoice_submissions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON einvoice_settings, einvoice_submissions TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON einvoice_settings, einvoice_submissions TO sen_system;
