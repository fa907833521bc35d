CREATE TABLE "activities" (
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
	"kind" text DEFAULT 'task' NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"due_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"priority" text DEFAULT 'normal' NOT NULL,
	"recurrence" text DEFAULT 'none' NOT NULL,
	"previous_id" uuid,
	"description" text,
	"direction" text,
	"outcome" text,
	"duration_minutes" integer,
	"location" text,
	"online_url" text,
	"attendee_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"reminder_minutes" integer,
	"reminded_at" timestamp with time zone,
	CONSTRAINT "activities_workspace_id_id_key" UNIQUE("workspace_id","id"),
	CONSTRAINT "activities_previous_key" UNIQUE("workspace_id","previous_id"),
	CONSTRAINT "activities_end_after_start" CHECK (end_at IS NULL OR due_at IS NULL OR end_at >= due_at),
	CONSTRAINT "activities_duration_range" CHECK (duration_minutes BETWEEN 0 AND 1440),
	CONSTRAINT "activities_reminder_range" CHECK (reminder_minutes BETWEEN 0 AND 40320),
	CONSTRAINT "activities_done_at" CHECK ((status = 'done') = (done_at IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "activities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_links" (
	"id" uuid PRIMARY KEY DEFAULT sen_uuid_v7() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activity_links" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_feeds_member_key" UNIQUE("workspace_id","user_id"),
	CONSTRAINT "calendar_feeds_token_key" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "calendar_feeds" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_owner_fk" FOREIGN KEY ("workspace_id","owner_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_links" ADD CONSTRAINT "activity_links_activity_fk" FOREIGN KEY ("workspace_id","activity_id") REFERENCES "public"."activities"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_member_fk" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_list_updated_idx" ON "activities" USING btree ("workspace_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "activities_list_created_idx" ON "activities" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "activities_list_name_idx" ON "activities" USING btree ("workspace_id","sort_name","id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "activities_owner_idx" ON "activities" USING btree ("workspace_id","owner_id","updated_at" DESC NULLS LAST) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "activities_search_name_idx" ON "activities" USING btree ("workspace_id","search_name" text_pattern_ops) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "activities_trash_idx" ON "activities" USING btree ("workspace_id","deleted_at") WHERE deleted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "activities_tags_idx" ON "activities" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "activities_custom_idx" ON "activities" USING gin ("custom" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "activities_search_trgm_idx" ON "activities" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "activities_my_day_idx" ON "activities" USING btree ("workspace_id","owner_id","due_at") WHERE deleted_at IS NULL AND status = 'open';--> statement-breakpoint
CREATE INDEX "activities_reminder_idx" ON "activities" USING btree ("due_at") WHERE deleted_at IS NULL AND status = 'open' AND reminder_minutes IS NOT NULL AND reminded_at IS NULL;--> statement-breakpoint
CREATE INDEX "activity_links_activity_idx" ON "activity_links" USING btree ("workspace_id","activity_id");--> statement-breakpoint
CREATE INDEX "activity_links_record_idx" ON "activity_links" USING btree ("workspace_id","record_type","record_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activities" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "activities" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_links" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "activity_links" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "member_all" ON "calendar_feeds" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id()) AND user_id = (SELECT sen_user_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()) AND user_id = (SELECT sen_user_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "calendar_feeds" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
ALTER TABLE activities FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity_links FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE calendar_feeds FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON activities, activity_links, calendar_feeds TO sen_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON activities, activity_links, calendar_feeds TO sen_system;--> statement-breakpoint
CREATE TRIGGER activities_version BEFORE UPDATE ON activities FOR EACH ROW EXECUTE FUNCTION sen_bump_version();
