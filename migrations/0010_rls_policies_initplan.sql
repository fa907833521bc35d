-- Policies read the workspace and the user through scalar subqueries, so each is an InitPlan:
-- evaluated once per statement, not once per row, and its SQL function inlined once per plan
-- (src/db/schema/common.ts: currentWorkspace, currentUser).
ALTER POLICY "tenant_isolation" ON "api_keys" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "invitations" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "roles" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_delete" ON "sessions" TO sen_app USING (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "team_members" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "teams" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "member_read" ON "users" TO sen_app USING (id = (SELECT sen_user_id()) OR EXISTS (SELECT 1 FROM workspace_members m WHERE m.user_id = "users"."id" AND m.workspace_id = (SELECT sen_workspace_id())));--> statement-breakpoint
ALTER POLICY "self_update" ON "users" TO sen_app USING (id = (SELECT sen_user_id())) WITH CHECK (id = (SELECT sen_user_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "workspace_members" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "workspaces" TO sen_app USING (id = (SELECT sen_workspace_id())) WITH CHECK (id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_read" ON "audit_log" TO sen_app USING (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_append" ON "audit_log" TO sen_app WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "attachments" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "companies" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "contact_companies" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "contacts" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "custom_field_unique_values" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "custom_fields" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "notes" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "saved_views" TO sen_app USING (workspace_id = (SELECT sen_workspace_id())) WITH CHECK (workspace_id = (SELECT sen_workspace_id()));--> statement-breakpoint
ALTER POLICY "private_to_owner" ON "saved_views" TO sen_app USING (shared OR owner_id = (SELECT sen_user_id())) WITH CHECK (shared OR owner_id = (SELECT sen_user_id()));