CREATE TABLE "last_used_views" (
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"object" text NOT NULL,
	"view_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "last_used_views_pkey" PRIMARY KEY("workspace_id","user_id","object")
);
--> statement-breakpoint
ALTER TABLE "last_used_views" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "last_used_views" ADD CONSTRAINT "last_used_views_member_fk" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."workspace_members"("workspace_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "last_used_views" ADD CONSTRAINT "last_used_views_view_fk" FOREIGN KEY ("view_id") REFERENCES "public"."saved_views"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "last_used_views_view_idx" ON "last_used_views" USING btree ("view_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "last_used_views" AS PERMISSIVE FOR ALL TO "sen_app" USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
CREATE POLICY "system_access" ON "last_used_views" AS PERMISSIVE FOR ALL TO "sen_system" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "own_rows" ON "last_used_views" AS RESTRICTIVE FOR ALL TO "sen_app" USING (user_id = (SELECT sen_user_id())) WITH CHECK (user_id = (SELECT sen_user_id()));