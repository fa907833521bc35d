CREATE TABLE "assignment_rules" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"condition" jsonb,
	"target_type" text NOT NULL,
	"user_id" uuid,
	"team_id" uuid,
	"method" text,
	"active" boolean DEFAULT true NOT NULL,
	"last_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignment_rules_target_check" CHECK ((target_type = 'user' AND user_id IS NOT NULL AND team_id IS NULL AND method IS NULL)
       OR (target_type = 'team' AND team_id IS NOT NULL AND user_id IS NULL AND method IN ('round_robin', 'fewest_open')))
);
--> statement-breakpoint
ALTER TABLE "assignment_rules" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "assignment_settings" (
	"workspace_id" uuid NOT NULL,
	"object" text NOT NULL,
	"fallback_user_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignment_settings_pkey" PRIMARY KEY("workspace_id","object")
);
--> statement-breakpoint
ALTER TABLE "assignment_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"record_object" text,
	"record_id" uuid,
	"record_name" text,
	"actor_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assignment_rules" ADD CONSTRAINT "assignment_rules_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_rules" ADD CONSTRAINT "assignment_rules_user_fkey" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_settings" ADD CONSTRAINT "assignment_settings_workspace_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_settings" ADD CONSTRAINT "assignment_settings_fallback_fkey" FOREIGN KEY ("workspace_id","fallback_user_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recipient_fkey" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignment_rules_object_idx" ON "assignment_rules" USING btree ("workspace_id","object","position");--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("workspace_id","user_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("workspace_id","user_id") WHERE read_at IS NULL;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "assignment_rules" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "assignment_rules" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "assignment_settings" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "assignment_settings" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_insert" ON "notifications" AS PERMISSIVE FOR INSERT TO "sen_app" WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "recipient_read" ON "notifications" AS PERMISSIVE FOR SELECT TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id()) AND user_id = (SELECT sen_user_id()));--> statement-breakpoint
CREATE POLICY "recipient_update" ON "notifications" AS PERMISSIVE FOR UPDATE TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id()) AND user_id = (SELECT sen_user_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()) AND user_id = (SELECT sen_user_id()));--> statement-breakpoint
CREATE POLICY "recipient_delete" ON "notifications" AS PERMISSIVE FOR DELETE TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id()) AND user_id = (SELECT sen_user_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "notifications" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
-- Force row-level security and grant sen_app / sen_system what the services need (as 0014).
-- notifications: anyone in the workspace may insert one (notify()), only its recipient reads,
-- marks or deletes it (the policies above); INSERT … RETURNING is never used for that reason.
ALTER TABLE assignment_rules FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE assignment_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON assignment_rules, assignment_settings, notifications TO sen_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON assignment_rules, assignment_settings, notifications TO sen_system;
