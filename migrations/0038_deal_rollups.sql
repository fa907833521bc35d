CREATE TABLE "deal_rollups" (
	"workspace_id" uuid NOT NULL,
	"day" date NOT NULL,
	"pipeline_id" uuid NOT NULL,
	"owner_id" uuid,
	"status" text NOT NULL,
	"deals" integer DEFAULT 0 NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"weighted" numeric DEFAULT '0' NOT NULL,
	"cycle_seconds" numeric DEFAULT '0' NOT NULL,
	CONSTRAINT "deal_rollups_key" UNIQUE NULLS NOT DISTINCT("workspace_id","day","pipeline_id","owner_id","status")
);
--> statement-breakpoint
ALTER TABLE "deal_rollups" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP INDEX "deal_stage_history_deal_idx";--> statement-breakpoint
CREATE INDEX "deals_cohort_idx" ON "deals" USING btree ("workspace_id","pipeline_id","created_at","id","status","owner_id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deal_stage_history_deal_idx" ON "deal_stage_history" USING btree ("workspace_id","deal_id","entered_at","stage_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "deal_rollups" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "deal_rollups" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE deal_rollups FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON deal_rollups TO sen_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON deal_rollups TO sen_system;--> statement-breakpoint
-- A deal's share of the sales report's figures (sign +1 adds it, −1 takes it away): its day is
-- the closing day in the workspace's time zone (won, lost) or the expected close date (open).
CREATE OR REPLACE FUNCTION sen_deal_rollup_add(d deals, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d_day date;
BEGIN
  IF d.deleted_at IS NOT NULL THEN
    RETURN;
  END IF;
  IF d.status = 'open' THEN
    d_day := d.expected_close_date;
  ELSE
    d_day := (d.closed_at AT TIME ZONE (SELECT w.timezone FROM workspaces w WHERE w.id = d.workspace_id))::date;
  END IF;
  IF d_day IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO deal_rollups AS x (workspace_id, day, pipeline_id, owner_id, status, deals, amount, weighted, cycle_seconds)
  VALUES (d.workspace_id, d_day, d.pipeline_id, d.owner_id, d.status, sign, sign * d.amount,
          sign * d.amount * d.probability / 100.0,
          CASE WHEN d.status = 'won' THEN sign * extract(epoch FROM d.closed_at - d.created_at) ELSE 0 END)
  ON CONFLICT ON CONSTRAINT deal_rollups_key DO UPDATE SET
    deals = x.deals + EXCLUDED.deals,
    amount = x.amount + EXCLUDED.amount,
    weighted = x.weighted + EXCLUDED.weighted,
    cycle_seconds = x.cycle_seconds + EXCLUDED.cycle_seconds;
END $$;--> statement-breakpoint
-- Every path that writes a deal (the API, the board, bulk changes, imports, stage edits, trash,
-- restores) keeps the figures current; an update that touches none of them costs nothing.
CREATE OR REPLACE FUNCTION sen_deal_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM sen_deal_rollup_add(OLD, -1);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM sen_deal_rollup_add(NEW, 1);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER deals_rollup AFTER INSERT OR DELETE ON deals FOR EACH ROW EXECUTE FUNCTION sen_deal_rollup();--> statement-breakpoint
CREATE TRIGGER deals_rollup_update AFTER UPDATE ON deals FOR EACH ROW
  WHEN ((OLD.workspace_id, OLD.pipeline_id, OLD.owner_id, OLD.status, OLD.amount, OLD.probability,
         OLD.expected_close_date, OLD.closed_at, OLD.created_at, OLD.deleted_at)
        IS DISTINCT FROM
        (NEW.workspace_id, NEW.pipeline_id, NEW.owner_id, NEW.status, NEW.amount, NEW.probability,
         NEW.expected_close_date, NEW.closed_at, NEW.created_at, NEW.deleted_at))
  EXECUTE FUNCTION sen_deal_rollup();--> statement-breakpoint
-- A workspace's figures computed again from its deals (its time zone changed; a bulk load).
CREATE OR REPLACE FUNCTION sen_deal_rollups_rebuild(ws uuid) RETURNS void LANGUAGE sql AS $$
  DELETE FROM deal_rollups WHERE workspace_id = ws;
  INSERT INTO deal_rollups (workspace_id, day, pipeline_id, owner_id, status, deals, amount, weighted, cycle_seconds)
  SELECT d.workspace_id, x.day, d.pipeline_id, d.owner_id, d.status, count(*), sum(d.amount),
         sum(d.amount * d.probability / 100.0),
         coalesce(sum(extract(epoch FROM d.closed_at - d.created_at)) FILTER (WHERE d.status = 'won'), 0)
    FROM deals d
    JOIN workspaces w ON w.id = d.workspace_id
   CROSS JOIN LATERAL (SELECT CASE WHEN d.status = 'open' THEN d.expected_close_date
                                   ELSE (d.closed_at AT TIME ZONE w.timezone)::date END AS day) x
   WHERE d.workspace_id = ws AND d.deleted_at IS NULL AND x.day IS NOT NULL
   GROUP BY d.workspace_id, x.day, d.pipeline_id, d.owner_id, d.status;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION sen_workspace_timezone_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM sen_deal_rollups_rebuild(NEW.id);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER workspaces_timezone_rollups AFTER UPDATE OF timezone ON workspaces FOR EACH ROW
  WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
  EXECUTE FUNCTION sen_workspace_timezone_rollups();--> statement-breakpoint
SELECT sen_deal_rollups_rebuild(id) FROM workspaces;
