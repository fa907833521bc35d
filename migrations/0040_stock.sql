CREATE TABLE "stock_levels" (
	"workspace_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"on_hand" numeric(14, 3) DEFAULT '0' NOT NULL,
	"reserved" numeric(14, 3) DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_levels_pkey" PRIMARY KEY("workspace_id","product_id","warehouse_id"),
	CONSTRAINT "stock_levels_on_hand_not_negative" CHECK (on_hand >= 0),
	CONSTRAINT "stock_levels_reserved_not_negative" CHECK (reserved >= 0)
);
--> statement-breakpoint
ALTER TABLE "stock_levels" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"product_id" uuid NOT NULL,
	"warehouse_id" uuid NOT NULL,
	"quantity" numeric(14, 3) NOT NULL,
	"on_hand_after" numeric(14, 3) NOT NULL,
	"reserved_after" numeric(14, 3) NOT NULL,
	"reason" text,
	"ref_object" text,
	"ref_id" uuid,
	"user_id" uuid,
	"actor_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_movements_quantity_nonzero" CHECK (quantity <> 0),
	CONSTRAINT "stock_movements_positive" CHECK (kind = 'adjust' OR quantity > 0),
	CONSTRAINT "stock_movements_adjust_reason" CHECK (kind <> 'adjust' OR reason IS NOT NULL),
	CONSTRAINT "stock_movements_ref" CHECK ((ref_object IS NULL) = (ref_id IS NULL))
);
--> statement-breakpoint
ALTER TABLE "stock_movements" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "warehouses" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "warehouses_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "warehouses_default_not_archived" CHECK (NOT (is_default AND archived_at IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "warehouses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "reorder_level" numeric(14, 3);--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "allow_backorder" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_product_fk" FOREIGN KEY ("workspace_id","product_id") REFERENCES "public"."products"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_levels" ADD CONSTRAINT "stock_levels_warehouse_fk" FOREIGN KEY ("workspace_id","warehouse_id") REFERENCES "public"."warehouses"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_product_fk" FOREIGN KEY ("workspace_id","product_id") REFERENCES "public"."products"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_warehouse_fk" FOREIGN KEY ("workspace_id","warehouse_id") REFERENCES "public"."warehouses"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stock_levels_warehouse_idx" ON "stock_levels" USING btree ("workspace_id","warehouse_id");--> statement-breakpoint
CREATE INDEX "stock_movements_list_idx" ON "stock_movements" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "stock_movements_product_idx" ON "stock_movements" USING btree ("workspace_id","product_id","warehouse_id","id");--> statement-breakpoint
CREATE INDEX "stock_movements_ref_idx" ON "stock_movements" USING btree ("workspace_id","ref_object","ref_id") WHERE ref_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "warehouses_name_key" ON "warehouses" USING btree ("workspace_id",lower("name")) WHERE archived_at IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "warehouses_default_key" ON "warehouses" USING btree ("workspace_id") WHERE is_default;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_reorder_level_not_negative" CHECK (reorder_level >= 0);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "stock_levels" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "stock_levels" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "stock_movements" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "stock_movements" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "warehouses" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "warehouses" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE warehouses FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE stock_levels FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE stock_movements FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON warehouses, stock_levels TO sen_app;--> statement-breakpoint
-- The movements are a journal: the app appends and reads, never changes or deletes one.
GRANT SELECT, INSERT ON stock_movements TO sen_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON warehouses, stock_levels, stock_movements TO sen_system;--> statement-breakpoint
-- Every existing workspace gets the default warehouse new workspaces get (stock.service.ts).
INSERT INTO warehouses (workspace_id, name, is_default)
SELECT w.id, CASE WHEN w.locale = 'en' THEN 'Main warehouse' ELSE 'Kho chính' END, true FROM workspaces w;
