CREATE TABLE "price_list_items" (
	"workspace_id" uuid NOT NULL,
	"price_list_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"unit_price" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "price_list_items_pkey" PRIMARY KEY("price_list_id","product_id"),
	CONSTRAINT "price_list_items_unit_price_not_negative" CHECK (unit_price >= 0)
);
--> statement-breakpoint
ALTER TABLE "price_list_items" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "price_lists" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"description" text,
	"active" boolean DEFAULT true NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "price_lists_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "price_lists_default_active" CHECK (active OR NOT is_default)
);
--> statement-breakpoint
ALTER TABLE "price_lists" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "price_list_id" uuid;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "price_list_id" uuid;--> statement-breakpoint
ALTER TABLE "price_list_items" ADD CONSTRAINT "price_list_items_list_fk" FOREIGN KEY ("workspace_id","price_list_id") REFERENCES "public"."price_lists"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_items" ADD CONSTRAINT "price_list_items_product_fk" FOREIGN KEY ("workspace_id","product_id") REFERENCES "public"."products"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_lists" ADD CONSTRAINT "price_lists_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "price_list_items_product_idx" ON "price_list_items" USING btree ("workspace_id","product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "price_lists_name_key" ON "price_lists" USING btree ("workspace_id","name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "price_lists_default_key" ON "price_lists" USING btree ("workspace_id") WHERE is_default;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_price_list_fk" FOREIGN KEY ("workspace_id","price_list_id") REFERENCES "public"."price_lists"("workspace_id","id") ON DELETE SET NULL ("price_list_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_price_list_fk" FOREIGN KEY ("workspace_id","price_list_id") REFERENCES "public"."price_lists"("workspace_id","id") ON DELETE SET NULL ("price_list_id") ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "companies_price_list_idx" ON "companies" USING btree ("workspace_id","price_list_id") WHERE price_list_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "contacts_price_list_idx" ON "contacts" USING btree ("workspace_id","price_list_id") WHERE price_list_id IS NOT NULL;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "price_list_items" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "price_list_items" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "price_lists" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "price_lists" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);
--> statement-breakpoint
-- Price lists: force row-level security and grant what the services need (as 0014). The
-- customers' foreign keys above set only price_list_id to NULL when a list is deleted
-- (PostgreSQL 15's column list; drizzle-kit writes the plain SET NULL, which would also clear
-- workspace_id).
ALTER TABLE price_lists FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE price_list_items FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON price_lists, price_list_items TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON price_lists, price_list_items TO sen_system;
