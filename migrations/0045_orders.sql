CREATE TABLE "order_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"delivered_on" date NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "order_deliveries_workspace_id_id_key" UNIQUE("workspace_id","id")
);
--> statement-breakpoint
ALTER TABLE "order_deliveries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "order_delivery_lines" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"order_line_id" uuid NOT NULL,
	"quantity" numeric(14, 3) NOT NULL,
	CONSTRAINT "order_delivery_lines_quantity_positive" CHECK (quantity > 0)
);
--> statement-breakpoint
ALTER TABLE "order_delivery_lines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "order_lines" (
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
	"source_line_id" uuid,
	"cost_price" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_lines_quantity_positive" CHECK (quantity > 0),
	CONSTRAINT "order_lines_unit_price_not_negative" CHECK (unit_price >= 0),
	CONSTRAINT "order_lines_discount_valid" CHECK ((discount_kind IS NULL AND discount_value IS NULL) OR (discount_kind = 'percent' AND discount_value BETWEEN 0 AND 100) OR (discount_kind = 'amount' AND discount_value >= 0)),
	CONSTRAINT "order_lines_amounts_valid" CHECK (gross_amount >= 0 AND discount_amount BETWEEN 0 AND gross_amount AND net_amount = gross_amount - discount_amount AND vat_amount >= 0)
);
--> statement-breakpoint
ALTER TABLE "order_lines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "orders" (
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
	"kind" text DEFAULT 'order' NOT NULL,
	"subject" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"delivery_status" text DEFAULT 'not_delivered' NOT NULL,
	"quote_id" uuid,
	"deal_id" uuid,
	"company_id" uuid,
	"contact_id" uuid,
	"warehouse_id" uuid,
	"order_date" date NOT NULL,
	"signed_on" date,
	"end_date" date,
	"renewal_date" date,
	"renewal_reminder_days" integer,
	"renewal_reminded_for" date,
	"terms" text,
	"subtotal" bigint DEFAULT 0 NOT NULL,
	"discount_total" bigint DEFAULT 0 NOT NULL,
	"vat_total" bigint DEFAULT 0 NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"vat_lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"discount_percent" numeric(5, 2) DEFAULT 0 NOT NULL,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	CONSTRAINT "orders_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "orders_totals_not_negative" CHECK (subtotal >= 0 AND discount_total >= 0 AND vat_total >= 0 AND total >= 0),
	CONSTRAINT "orders_reminder_days_range" CHECK (renewal_reminder_days BETWEEN 0 AND 365),
	CONSTRAINT "orders_cancel_reason" CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "orders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "quote_lines" ADD COLUMN "source_line_id" uuid;--> statement-breakpoint
ALTER TABLE "order_deliveries" ADD CONSTRAINT "order_deliveries_order_fk" FOREIGN KEY ("workspace_id","order_id") REFERENCES "public"."orders"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_delivery_lines" ADD CONSTRAINT "order_delivery_lines_delivery_fk" FOREIGN KEY ("workspace_id","delivery_id") REFERENCES "public"."order_deliveries"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_delivery_lines" ADD CONSTRAINT "order_delivery_lines_line_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_parent_fk" FOREIGN KEY ("workspace_id","parent_id") REFERENCES "public"."orders"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_product_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_owner_fk" FOREIGN KEY ("workspace_id","owner_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_quote_fk" FOREIGN KEY ("workspace_id","quote_id") REFERENCES "public"."quotes"("workspace_id","id") ON DELETE SET NULL ("quote_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_deal_fk" FOREIGN KEY ("workspace_id","deal_id") REFERENCES "public"."deals"("workspace_id","id") ON DELETE SET NULL ("deal_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_company_fk" FOREIGN KEY ("workspace_id","company_id") REFERENCES "public"."companies"("workspace_id","id") ON DELETE SET NULL ("company_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_contact_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE SET NULL ("contact_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_warehouse_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_deliveries_order_idx" ON "order_deliveries" USING btree ("workspace_id","order_id");--> statement-breakpoint
CREATE INDEX "order_delivery_lines_line_idx" ON "order_delivery_lines" USING btree ("workspace_id","order_line_id");--> statement-breakpoint
CREATE INDEX "order_lines_parent_idx" ON "order_lines" USING btree ("workspace_id","parent_id","position");--> statement-breakpoint
CREATE INDEX "order_lines_product_idx" ON "order_lines" USING btree ("workspace_id","product_id") WHERE product_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_list_updated_idx" ON "orders" USING btree ("workspace_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "orders_list_created_idx" ON "orders" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "orders_list_name_idx" ON "orders" USING btree ("workspace_id","sort_name","id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "orders_owner_idx" ON "orders" USING btree ("workspace_id","owner_id","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "orders_search_name_idx" ON "orders" USING btree ("workspace_id","search_name" text_pattern_ops) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "orders_trash_idx" ON "orders" USING btree ("workspace_id","deleted_at") WHERE deleted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_tags_idx" ON "orders" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "orders_custom_idx" ON "orders" USING gin ("custom" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "orders_search_trgm_idx" ON "orders" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "orders_number_key" ON "orders" USING btree ("workspace_id","number");--> statement-breakpoint
CREATE INDEX "orders_company_idx" ON "orders" USING btree ("workspace_id","company_id","order_date") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "orders_contact_idx" ON "orders" USING btree ("workspace_id","contact_id","order_date") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "orders_quote_idx" ON "orders" USING btree ("workspace_id","quote_id") WHERE quote_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_renewal_idx" ON "orders" USING btree ("workspace_id","renewal_date") WHERE deleted_at IS NULL AND renewal_date IS NOT NULL AND status <> 'cancelled';--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "order_deliveries" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "order_deliveries" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "order_delivery_lines" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "order_delivery_lines" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "order_lines" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "order_lines" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "orders" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "orders" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);
--> statement-breakpoint
ALTER TABLE orders FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE order_lines FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE order_deliveries FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE order_delivery_lines FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON orders, order_lines, order_deliveries, order_delivery_lines TO sen_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON orders, order_lines, order_deliveries, order_delivery_lines TO sen_system;--> statement-breakpoint
CREATE TRIGGER orders_version BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION sen_bump_version();--> statement-breakpoint
-- A customer or deal purged from the trash leaves its documents, without the link (they are
-- the business's records): quotes' links are set null like orders'.
ALTER TABLE quotes DROP CONSTRAINT quotes_deal_fk;--> statement-breakpoint
ALTER TABLE quotes DROP CONSTRAINT quotes_company_fk;--> statement-breakpoint
ALTER TABLE quotes DROP CONSTRAINT quotes_contact_fk;--> statement-breakpoint
ALTER TABLE quotes ADD CONSTRAINT quotes_deal_fk FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE SET NULL (deal_id);--> statement-breakpoint
ALTER TABLE quotes ADD CONSTRAINT quotes_company_fk FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id) ON DELETE SET NULL (company_id);--> statement-breakpoint
ALTER TABLE quotes ADD CONSTRAINT quotes_contact_fk FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id) ON DELETE SET NULL (contact_id);
