DROP INDEX "contacts_email_idx";--> statement-breakpoint
CREATE INDEX "contacts_given_name_idx" ON "contacts" USING btree ("workspace_id","sort_name" text_pattern_ops) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "contacts_email_idx" ON "contacts" USING btree ("workspace_id","primary_email" text_pattern_ops);