CREATE TABLE "invoice_lines" (
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
	CONSTRAINT "invoice_lines_quantity_positive" CHECK (quantity > 0),
	CONSTRAINT "invoice_lines_unit_price_not_negative" CHECK (unit_price >= 0),
	CONSTRAINT "invoice_lines_discount_valid" CHECK ((discount_kind IS NULL AND discount_value IS NULL) OR (discount_kind = 'percent' AND discount_value BETWEEN 0 AND 100) OR (discount_kind = 'amount' AND discount_value >= 0)),
	CONSTRAINT "invoice_lines_amounts_valid" CHECK (gross_amount >= 0 AND discount_amount BETWEEN 0 AND gross_amount AND net_amount = gross_amount - discount_amount AND vat_amount >= 0)
);
--> statement-breakpoint
ALTER TABLE "invoice_lines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "invoices" (
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
	"order_id" uuid,
	"deal_id" uuid,
	"company_id" uuid,
	"contact_id" uuid,
	"issue_date" date NOT NULL,
	"due_date" date NOT NULL,
	"payment_terms_days" integer DEFAULT 30 NOT NULL,
	"terms" text,
	"subtotal" bigint DEFAULT 0 NOT NULL,
	"discount_total" bigint DEFAULT 0 NOT NULL,
	"vat_total" bigint DEFAULT 0 NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"vat_lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"discount_percent" numeric(5, 2) DEFAULT 0 NOT NULL,
	"paid_amount" bigint DEFAULT 0 NOT NULL,
	"issued_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	CONSTRAINT "invoices_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "invoices_amounts_valid" CHECK (subtotal >= 0 AND discount_total >= 0 AND vat_total >= 0 AND total >= 0 AND paid_amount >= 0 AND paid_amount <= total),
	CONSTRAINT "invoices_void_reason" CHECK (status <> 'void' OR void_reason IS NOT NULL),
	CONSTRAINT "invoices_due_after_issue" CHECK (due_date >= issue_date)
);
--> statement-breakpoint
ALTER TABLE "invoices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payment_allocations" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"reversed_at" timestamp with time zone,
	CONSTRAINT "payment_allocations_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "payment_allocations_amount_positive" CHECK (amount > 0)
);
--> statement-breakpoint
ALTER TABLE "payment_allocations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payments" (
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
	"status" text DEFAULT 'posted' NOT NULL,
	"payment_date" date NOT NULL,
	"method" text NOT NULL,
	"amount" bigint NOT NULL,
	"allocated_amount" bigint DEFAULT 0 NOT NULL,
	"company_id" uuid,
	"contact_id" uuid,
	"reference" text,
	"note" text,
	"reversed_at" timestamp with time zone,
	"reversed_by" uuid,
	"reverse_reason" text,
	CONSTRAINT "payments_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "payments_amount_positive" CHECK (amount > 0),
	CONSTRAINT "payments_allocated_valid" CHECK (allocated_amount >= 0 AND allocated_amount <= amount),
	CONSTRAINT "payments_reverse_reason" CHECK (status <> 'reversed' OR reverse_reason IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "payments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "customer_tiers" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"min_total_spent" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_tiers_threshold_valid" CHECK (min_total_spent >= 0)
);
--> statement-breakpoint
ALTER TABLE "customer_tiers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "first_order_date" date;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "last_order_date" date;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "order_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "total_spent" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "open_balance" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "overdue_amount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "credit_balance" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "customer_tier" text;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "last_activity_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "first_order_date" date;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "last_order_date" date;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "order_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "total_spent" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "open_balance" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "overdue_amount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "credit_balance" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "customer_tier" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "last_activity_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_parent_fk" FOREIGN KEY ("workspace_id","parent_id") REFERENCES "public"."invoices"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_product_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_owner_fk" FOREIGN KEY ("workspace_id","owner_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_order_fk" FOREIGN KEY ("workspace_id","order_id") REFERENCES "public"."orders"("workspace_id","id") ON DELETE SET NULL ("order_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_deal_fk" FOREIGN KEY ("workspace_id","deal_id") REFERENCES "public"."deals"("workspace_id","id") ON DELETE SET NULL ("deal_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_company_fk" FOREIGN KEY ("workspace_id","company_id") REFERENCES "public"."companies"("workspace_id","id") ON DELETE SET NULL ("company_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_contact_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE SET NULL ("contact_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_payment_fk" FOREIGN KEY ("workspace_id","payment_id") REFERENCES "public"."payments"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_allocations" ADD CONSTRAINT "payment_allocations_invoice_fk" FOREIGN KEY ("workspace_id","invoice_id") REFERENCES "public"."invoices"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_owner_fk" FOREIGN KEY ("workspace_id","owner_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_company_fk" FOREIGN KEY ("workspace_id","company_id") REFERENCES "public"."companies"("workspace_id","id") ON DELETE SET NULL ("company_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_contact_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE SET NULL ("contact_id") ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_lines_parent_idx" ON "invoice_lines" USING btree ("workspace_id","parent_id","position");--> statement-breakpoint
CREATE INDEX "invoice_lines_product_idx" ON "invoice_lines" USING btree ("workspace_id","product_id") WHERE product_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "invoices_list_updated_idx" ON "invoices" USING btree ("workspace_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "invoices_list_created_idx" ON "invoices" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "invoices_list_name_idx" ON "invoices" USING btree ("workspace_id","sort_name","id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "invoices_owner_idx" ON "invoices" USING btree ("workspace_id","owner_id","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "invoices_search_name_idx" ON "invoices" USING btree ("workspace_id","search_name" text_pattern_ops) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "invoices_trash_idx" ON "invoices" USING btree ("workspace_id","deleted_at") WHERE deleted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "invoices_tags_idx" ON "invoices" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "invoices_custom_idx" ON "invoices" USING gin ("custom" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "invoices_search_trgm_idx" ON "invoices" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices" USING btree ("workspace_id","number");--> statement-breakpoint
CREATE INDEX "invoices_company_idx" ON "invoices" USING btree ("workspace_id","company_id","status") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "invoices_contact_idx" ON "invoices" USING btree ("workspace_id","contact_id","status") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "invoices_order_idx" ON "invoices" USING btree ("workspace_id","order_id") WHERE order_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "invoices_open_idx" ON "invoices" USING btree ("workspace_id","due_date") WHERE deleted_at IS NULL AND status IN ('issued', 'partly_paid', 'overdue');--> statement-breakpoint
CREATE INDEX "payment_allocations_payment_idx" ON "payment_allocations" USING btree ("workspace_id","payment_id");--> statement-breakpoint
CREATE INDEX "payment_allocations_invoice_idx" ON "payment_allocations" USING btree ("workspace_id","invoice_id");--> statement-breakpoint
CREATE INDEX "payments_list_updated_idx" ON "payments" USING btree ("workspace_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "payments_list_created_idx" ON "payments" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "payments_list_name_idx" ON "payments" USING btree ("workspace_id","sort_name","id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "payments_owner_idx" ON "payments" USING btree ("workspace_id","owner_id","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "payments_search_name_idx" ON "payments" USING btree ("workspace_id","search_name" text_pattern_ops) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "payments_trash_idx" ON "payments" USING btree ("workspace_id","deleted_at") WHERE deleted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payments_tags_idx" ON "payments" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "payments_custom_idx" ON "payments" USING gin ("custom" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "payments_search_trgm_idx" ON "payments" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "payments_number_key" ON "payments" USING btree ("workspace_id","number");--> statement-breakpoint
CREATE INDEX "payments_company_idx" ON "payments" USING btree ("workspace_id","company_id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "payments_contact_idx" ON "payments" USING btree ("workspace_id","contact_id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_tiers_name_key" ON "customer_tiers" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_tiers_threshold_key" ON "customer_tiers" USING btree ("workspace_id","min_total_spent");--> statement-breakpoint
CREATE INDEX "companies_last_order_idx" ON "companies" USING btree ("workspace_id","last_order_date") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "companies_total_spent_idx" ON "companies" USING btree ("workspace_id","total_spent") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "contacts_last_order_idx" ON "contacts" USING btree ("workspace_id","last_order_date") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "contacts_total_spent_idx" ON "contacts" USING btree ("workspace_id","total_spent") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "invoice_lines" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "invoice_lines" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "invoices" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "invoices" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "payment_allocations" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "payment_allocations" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "payments" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "payments" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "customer_tiers" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "customer_tiers" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE invoice_lines FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE payments FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE payment_allocations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE customer_tiers FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices, invoice_lines, payments, payment_allocations, customer_tiers TO sen_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON invoices, invoice_lines, payments, payment_allocations, customer_tiers TO sen_system;--> statement-breakpoint
CREATE TRIGGER invoices_version BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION sen_bump_version();--> statement-breakpoint
CREATE TRIGGER payments_version BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION sen_bump_version();--> statement-breakpoint
-- A customer's figures (contacts and companies), recomputed from its documents in the
-- transaction that changed them. The figures are not an edit: the record's version stays.
CREATE OR REPLACE FUNCTION sen_customer_figures(p_table text, p_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  prev text := current_setting('sen.keep_version', true);
  col text := CASE p_table WHEN 'companies' THEN 'company_id' ELSE 'contact_id' END;
BEGIN
  IF p_id IS NULL THEN RETURN; END IF;
  PERFORM set_config('sen.keep_version', 'on', true);
  EXECUTE format($f$
    UPDATE %1$I r SET
      (first_order_date, last_order_date, order_count) = (
        SELECT min(o.order_date), max(o.order_date), count(*)::int FROM orders o
         WHERE o.%2$I = r.id AND o.deleted_at IS NULL AND o.status IN ('confirmed', 'completed')),
      (total_spent, open_balance, overdue_amount) = (
        SELECT coalesce(sum(i.paid_amount), 0),
               coalesce(sum(i.total - i.paid_amount) FILTER (WHERE i.status IN ('issued', 'partly_paid', 'overdue')), 0),
               coalesce(sum(i.total - i.paid_amount) FILTER (WHERE i.status = 'overdue'), 0)
          FROM invoices i
         WHERE i.%2$I = r.id AND i.deleted_at IS NULL AND i.status NOT IN ('draft', 'void')),
      credit_balance = (
        SELECT coalesce(sum(p.amount - p.allocated_amount), 0) FROM payments p
         WHERE p.%2$I = r.id AND p.deleted_at IS NULL AND p.status = 'posted'),
      last_activity_at = now()
    WHERE r.id = $1$f$, p_table, col) USING p_id;
  EXECUTE format($f$
    UPDATE %1$I r SET customer_tier = (
      SELECT t.name FROM customer_tiers t WHERE t.min_total_spent <= r.total_spent
       ORDER BY t.min_total_spent DESC LIMIT 1)
    WHERE r.id = $1$f$, p_table) USING p_id;
  PERFORM set_config('sen.keep_version', coalesce(prev, ''), true);
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION sen_document_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A restore writes every row back as it was, figures included.
  IF coalesce(current_setting('sen.restoring', true), '') = 'on' THEN RETURN NULL; END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM sen_customer_figures('companies', OLD.company_id);
    PERFORM sen_customer_figures('contacts', OLD.contact_id);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF TG_OP = 'INSERT' OR NEW.company_id IS DISTINCT FROM OLD.company_id THEN
      PERFORM sen_customer_figures('companies', NEW.company_id);
    END IF;
    IF TG_OP = 'INSERT' OR NEW.contact_id IS DISTINCT FROM OLD.contact_id THEN
      PERFORM sen_customer_figures('contacts', NEW.contact_id);
    END IF;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER orders_customer_figures AFTER INSERT OR DELETE OR UPDATE OF status, order_date, company_id, contact_id, deleted_at ON orders FOR EACH ROW EXECUTE FUNCTION sen_document_customers();--> statement-breakpoint
CREATE TRIGGER invoices_customer_figures AFTER INSERT OR DELETE OR UPDATE OF status, total, paid_amount, company_id, contact_id, deleted_at ON invoices FOR EACH ROW EXECUTE FUNCTION sen_document_customers();--> statement-breakpoint
CREATE TRIGGER payments_customer_figures AFTER INSERT OR DELETE OR UPDATE OF status, amount, allocated_amount, company_id, contact_id, deleted_at ON payments FOR EACH ROW EXECUTE FUNCTION sen_document_customers();--> statement-breakpoint
-- What is paid of an invoice and allocated of a payment: the sum of their live allocations;
-- the invoice's status follows (paid, partly paid, overdue past its due date, issued).
CREATE OR REPLACE FUNCTION sen_allocation_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  -- A restore writes every row back as it was, figures included.
  IF coalesce(current_setting('sen.restoring', true), '') = 'on' THEN RETURN NULL; END IF;
  FOR r IN SELECT DISTINCT x.invoice_id, x.payment_id FROM (
      SELECT NEW.invoice_id, NEW.payment_id WHERE TG_OP <> 'DELETE'
      UNION ALL SELECT OLD.invoice_id, OLD.payment_id WHERE TG_OP <> 'INSERT') x(invoice_id, payment_id)
  LOOP
    UPDATE invoices i SET
      paid_amount = s.paid,
      status = CASE
        WHEN i.status IN ('draft', 'void') THEN i.status
        WHEN s.paid >= i.total AND i.total > 0 THEN 'paid'
        WHEN i.due_date < (SELECT (now() AT TIME ZONE w.timezone)::date FROM workspaces w WHERE w.id = i.workspace_id) THEN 'overdue'
        WHEN s.paid > 0 THEN 'partly_paid'
        ELSE 'issued' END
      FROM (SELECT coalesce(sum(a.amount), 0) AS paid FROM payment_allocations a
             WHERE a.invoice_id = r.invoice_id AND a.reversed_at IS NULL) s
     WHERE i.id = r.invoice_id;
    UPDATE payments p SET allocated_amount = s.allocated
      FROM (SELECT coalesce(sum(a.amount), 0) AS allocated FROM payment_allocations a
             WHERE a.payment_id = r.payment_id AND a.reversed_at IS NULL) s
     WHERE p.id = r.payment_id;
  END LOOP;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER payment_allocations_totals AFTER INSERT OR DELETE OR UPDATE OF amount, reversed_at ON payment_allocations FOR EACH ROW EXECUTE FUNCTION sen_allocation_totals();
