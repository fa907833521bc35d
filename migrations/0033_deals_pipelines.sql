CREATE TABLE "deal_contacts" (
	"workspace_id" uuid NOT NULL,
	"deal_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"role" text,
	"is_primary" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deal_contacts_deal_id_contact_id_pk" PRIMARY KEY("deal_id","contact_id")
);
--> statement-breakpoint
ALTER TABLE "deal_contacts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "deal_stage_history" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"deal_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"stage_name" text NOT NULL,
	"status" text NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"left_at" timestamp with time zone,
	"entered_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deal_stage_history" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "deals" (
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
	"name" text NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"stage_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"probability" integer DEFAULT 0 NOT NULL,
	"expected_close_date" date,
	"closed_at" timestamp with time zone,
	"won_reason" text,
	"lost_reason" text,
	"company_id" uuid,
	"source_lead_id" uuid,
	"stage_entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deals_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "deals_amount_not_negative" CHECK (amount >= 0),
	CONSTRAINT "deals_probability_range" CHECK (probability BETWEEN 0 AND 100)
);
--> statement-breakpoint
ALTER TABLE "deals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "pipeline_stages" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"probability" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pipeline_stages_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "pipeline_stages_pipeline_stage_key" UNIQUE("workspace_id","pipeline_id","id"),
	CONSTRAINT "pipeline_stages_probability_range" CHECK (probability BETWEEN 0 AND 100)
);
--> statement-breakpoint
ALTER TABLE "pipeline_stages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "pipelines" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"rotting_days" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pipelines_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "pipelines_rotting_days_range" CHECK (rotting_days BETWEEN 1 AND 365)
);
--> statement-breakpoint
ALTER TABLE "pipelines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "deal_contacts" ADD CONSTRAINT "deal_contacts_deal_fk" FOREIGN KEY ("workspace_id","deal_id") REFERENCES "public"."deals"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_contacts" ADD CONSTRAINT "deal_contacts_contact_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deal_stage_history" ADD CONSTRAINT "deal_stage_history_deal_fk" FOREIGN KEY ("workspace_id","deal_id") REFERENCES "public"."deals"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_owner_fk" FOREIGN KEY ("workspace_id","owner_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_stage_fk" FOREIGN KEY ("workspace_id","pipeline_id","stage_id") REFERENCES "public"."pipeline_stages"("workspace_id","pipeline_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_stages" ADD CONSTRAINT "pipeline_stages_pipeline_fk" FOREIGN KEY ("workspace_id","pipeline_id") REFERENCES "public"."pipelines"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deal_contacts_contact_idx" ON "deal_contacts" USING btree ("workspace_id","contact_id");--> statement-breakpoint
CREATE INDEX "deal_stage_history_deal_idx" ON "deal_stage_history" USING btree ("workspace_id","deal_id","entered_at");--> statement-breakpoint
CREATE INDEX "deal_stage_history_stage_idx" ON "deal_stage_history" USING btree ("workspace_id","pipeline_id","stage_id");--> statement-breakpoint
CREATE INDEX "deals_list_updated_idx" ON "deals" USING btree ("workspace_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_list_created_idx" ON "deals" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_list_name_idx" ON "deals" USING btree ("workspace_id","sort_name","id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_owner_idx" ON "deals" USING btree ("workspace_id","owner_id","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_search_name_idx" ON "deals" USING btree ("workspace_id","search_name" text_pattern_ops) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_trash_idx" ON "deals" USING btree ("workspace_id","deleted_at") WHERE deleted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "deals_tags_idx" ON "deals" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "deals_custom_idx" ON "deals" USING gin ("custom" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "deals_search_trgm_idx" ON "deals" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "deals_board_idx" ON "deals" USING btree ("workspace_id","stage_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_pipeline_idx" ON "deals" USING btree ("workspace_id","pipeline_id","status") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_closed_idx" ON "deals" USING btree ("workspace_id","status","closed_at") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_expected_close_idx" ON "deals" USING btree ("workspace_id","expected_close_date") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_company_idx" ON "deals" USING btree ("workspace_id","company_id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "pipeline_stages_position_idx" ON "pipeline_stages" USING btree ("workspace_id","pipeline_id","position");--> statement-breakpoint
CREATE INDEX "pipelines_position_idx" ON "pipelines" USING btree ("workspace_id","position");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "deal_contacts" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "deal_contacts" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "deal_stage_history" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "deal_stage_history" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "deals" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "deals" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "pipeline_stages" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "pipeline_stages" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "pipelines" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "pipelines" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE pipelines FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE pipeline_stages FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE deals FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE deal_contacts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE deal_stage_history FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON pipelines, pipeline_stages, deals, deal_contacts, deal_stage_history TO sen_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON pipelines, pipeline_stages, deals, deal_contacts, deal_stage_history TO sen_system;--> statement-breakpoint
CREATE TRIGGER deals_version BEFORE UPDATE ON deals FOR EACH ROW EXECUTE FUNCTION sen_bump_version();--> statement-breakpoint
-- A deal entering a stage takes the stage's probability and the time it entered; won is 100 %,
-- lost 0 %; closing sets closed_at (unless given), reopening clears it.
CREATE OR REPLACE FUNCTION sen_deal_stage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('sen.restoring', true), '') = 'on' THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' OR NEW.stage_id IS DISTINCT FROM OLD.stage_id
     OR NEW.status IS DISTINCT FROM OLD.status THEN
    IF NEW.status = 'won' THEN
      NEW.probability := 100;
    ELSIF NEW.status = 'lost' THEN
      NEW.probability := 0;
    ELSE
      SELECT s.probability INTO NEW.probability FROM pipeline_stages s WHERE s.id = NEW.stage_id;
      NEW.probability := coalesce(NEW.probability, 0);
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.stage_id IS DISTINCT FROM OLD.stage_id THEN
    NEW.stage_entered_at := now();
  END IF;
  IF NEW.status = 'open' THEN
    NEW.closed_at := NULL;
  ELSIF TG_OP = 'INSERT' OR OLD.status = 'open' THEN
    NEW.closed_at := coalesce(NEW.closed_at, now());
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER deals_stage BEFORE INSERT OR UPDATE ON deals FOR EACH ROW EXECUTE FUNCTION sen_deal_stage();--> statement-breakpoint
-- Stage history: every path that moves a deal (API, board, bulk, import) is recorded.
CREATE OR REPLACE FUNCTION sen_deal_stage_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A restore writes the history back as it was.
  IF coalesce(current_setting('sen.restoring', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW.stage_id IS NOT DISTINCT FROM OLD.stage_id AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
      RETURN NULL;
    END IF;
    UPDATE deal_stage_history SET left_at = now(), updated_at = now()
     WHERE workspace_id = NEW.workspace_id AND deal_id = NEW.id AND left_at IS NULL;
  END IF;
  INSERT INTO deal_stage_history (workspace_id, deal_id, pipeline_id, stage_id, stage_name, status, entered_at, entered_by)
  SELECT NEW.workspace_id, NEW.id, NEW.pipeline_id, NEW.stage_id, coalesce(s.name, ''), NEW.status, now(), NEW.updated_by
    FROM (SELECT 1) one LEFT JOIN pipeline_stages s ON s.id = NEW.stage_id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER deals_stage_history AFTER INSERT OR UPDATE OF stage_id, status ON deals FOR EACH ROW EXECUTE FUNCTION sen_deal_stage_history();--> statement-breakpoint
-- Every existing workspace gets the default pipeline new workspaces get (deals/pipelines.defaults.ts).
INSERT INTO pipelines (workspace_id, name, position, rotting_days)
SELECT w.id, CASE WHEN w.locale = 'en' THEN 'Sales' ELSE 'Bán hàng' END, 0, 14 FROM workspaces w;--> statement-breakpoint
INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position, probability)
SELECT p.workspace_id, p.id, CASE WHEN w.locale = 'en' THEN s.en ELSE s.vi END, s.pos, s.prob
  FROM pipelines p JOIN workspaces w ON w.id = p.workspace_id
 CROSS JOIN (VALUES
   (0, 'Tiếp cận', 'Qualification', 10),
   (1, 'Tìm hiểu nhu cầu', 'Needs analysis', 25),
   (2, 'Gửi báo giá', 'Proposal sent', 50),
   (3, 'Đàm phán', 'Negotiation', 75),
   (4, 'Chốt hợp đồng', 'Commitment', 90)
 ) AS s(pos, vi, en, prob);
