CREATE TABLE "discount_limits" (
	"workspace_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"max_percent" numeric(5, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discount_limits_range" CHECK (max_percent BETWEEN 0 AND 100)
);
--> statement-breakpoint
ALTER TABLE "discount_limits" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "quote_lines" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"parent_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"product_id" uuid,
	"name" text NOT NULL,
	"sku" text,
	"description" text,
	"unit" text DEFAULT 'cái' NOT NULL,
	"quantity" numeric(14, 3) NOT NULL,
	"unit_price" bigint NOT NULL,
	"discount_kind" text,
	"discount_value" numeric(16, 2),
	"vat_rate" text NOT NULL,
	"gross_amount" bigint NOT NULL,
	"discount_amount" bigint DEFAULT 0 NOT NULL,
	"net_amount" bigint NOT NULL,
	"vat_amount" bigint DEFAULT 0 NOT NULL,
	"cost_price" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quote_lines_quantity_positive" CHECK (quantity > 0),
	CONSTRAINT "quote_lines_unit_price_not_negative" CHECK (unit_price >= 0),
	CONSTRAINT "quote_lines_discount_valid" CHECK ((discount_kind IS NULL AND discount_value IS NULL) OR (discount_kind = 'percent' AND discount_value BETWEEN 0 AND 100) OR (discount_kind = 'amount' AND discount_value >= 0)),
	CONSTRAINT "quote_lines_amounts_valid" CHECK (gross_amount >= 0 AND discount_amount BETWEEN 0 AND gross_amount AND net_amount = gross_amount - discount_amount AND vat_amount >= 0)
);
--> statement-breakpoint
ALTER TABLE "quote_lines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "quote_revisions" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"quote_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
ALTER TABLE "quote_revisions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "quotes" (
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
	"number" text NOT NULL,
	"subject" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"deal_id" uuid,
	"company_id" uuid,
	"contact_id" uuid,
	"issue_date" date NOT NULL,
	"valid_until" date,
	"terms" text,
	"subtotal" bigint DEFAULT 0 NOT NULL,
	"discount_total" bigint DEFAULT 0 NOT NULL,
	"vat_total" bigint DEFAULT 0 NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"vat_lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"discount_percent" numeric(5, 2) DEFAULT 0 NOT NULL,
	"approval_status" text DEFAULT 'none' NOT NULL,
	"approved_discount_percent" numeric(5, 2),
	"approval_comment" text,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"revision" integer DEFAULT 1 NOT NULL,
	"sent_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"rejected_at" timestamp with time zone,
	"reject_reason" text,
	CONSTRAINT "quotes_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "quotes_totals_not_negative" CHECK (subtotal >= 0 AND discount_total >= 0 AND vat_total >= 0 AND total >= 0),
	CONSTRAINT "quotes_discount_percent_range" CHECK (discount_percent BETWEEN 0 AND 100)
);
--> statement-breakpoint
ALTER TABLE "quotes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "quote_lines" ADD CONSTRAINT "quote_lines_parent_fk" FOREIGN KEY ("workspace_id","parent_id") REFERENCES "public"."quotes"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_lines" ADD CONSTRAINT "quote_lines_product_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_revisions" ADD CONSTRAINT "quote_revisions_quote_fk" FOREIGN KEY ("workspace_id","quote_id") REFERENCES "public"."quotes"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_owner_fk" FOREIGN KEY ("workspace_id","owner_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_deal_fk" FOREIGN KEY ("workspace_id","deal_id") REFERENCES "public"."deals"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_company_fk" FOREIGN KEY ("workspace_id","company_id") REFERENCES "public"."companies"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_contact_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "discount_limits_key" ON "discount_limits" USING btree ("workspace_id","role_id");--> statement-breakpoint
CREATE INDEX "quote_lines_parent_idx" ON "quote_lines" USING btree ("workspace_id","parent_id","position");--> statement-breakpoint
CREATE INDEX "quote_lines_product_idx" ON "quote_lines" USING btree ("workspace_id","product_id") WHERE product_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "quote_revisions_key" ON "quote_revisions" USING btree ("workspace_id","quote_id","revision");--> statement-breakpoint
CREATE INDEX "quotes_list_updated_idx" ON "quotes" USING btree ("workspace_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "quotes_list_created_idx" ON "quotes" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "quotes_list_name_idx" ON "quotes" USING btree ("workspace_id","sort_name","id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "quotes_owner_idx" ON "quotes" USING btree ("workspace_id","owner_id","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "quotes_search_name_idx" ON "quotes" USING btree ("workspace_id","search_name" text_pattern_ops) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "quotes_trash_idx" ON "quotes" USING btree ("workspace_id","deleted_at") WHERE deleted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "quotes_tags_idx" ON "quotes" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "quotes_custom_idx" ON "quotes" USING gin ("custom" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "quotes_search_trgm_idx" ON "quotes" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_number_key" ON "quotes" USING btree ("workspace_id","number");--> statement-breakpoint
CREATE INDEX "quotes_deal_idx" ON "quotes" USING btree ("workspace_id","deal_id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "quotes_company_idx" ON "quotes" USING btree ("workspace_id","company_id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "quotes_contact_idx" ON "quotes" USING btree ("workspace_id","contact_id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "quotes_expiry_idx" ON "quotes" USING btree ("workspace_id","valid_until") WHERE deleted_at IS NULL AND status = 'sent';--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "discount_limits" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "discount_limits" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quote_lines" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "quote_lines" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quote_revisions" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "quote_revisions" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quotes" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "quotes" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE quotes FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE quote_lines FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE quote_revisions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE discount_limits FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON quotes, quote_lines, quote_revisions, discount_limits TO sen_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON quotes, quote_lines, quote_revisions, discount_limits TO sen_system;--> statement-breakpoint
CREATE TRIGGER quotes_version BEFORE UPDATE ON quotes FOR EACH ROW EXECUTE FUNCTION sen_bump_version();--> statement-breakpoint
-- Workspaces that existed before quotes: their sales role may give up to 10 % without approval.
INSERT INTO discount_limits (workspace_id, role_id, max_percent)
SELECT ro.workspace_id, ro.id, 10 FROM roles ro WHERE ro.key = 'sales'
ON CONFLICT DO NOTHING;
