DROP INDEX "companies_phones_idx";--> statement-breakpoint
DROP INDEX "companies_emails_idx";--> statement-breakpoint
DROP INDEX "contacts_phones_idx";--> statement-breakpoint
DROP INDEX "contacts_emails_idx";--> statement-breakpoint
CREATE INDEX "companies_phones_idx" ON "companies" USING gin ("phones" jsonb_path_ops) WITH (fastupdate=off);--> statement-breakpoint
CREATE INDEX "companies_emails_idx" ON "companies" USING gin ("emails" jsonb_path_ops) WITH (fastupdate=off);--> statement-breakpoint
CREATE INDEX "contacts_phones_idx" ON "contacts" USING gin ("phones" jsonb_path_ops) WITH (fastupdate=off);--> statement-breakpoint
CREATE INDEX "contacts_emails_idx" ON "contacts" USING gin ("emails" jsonb_path_ops) WITH (fastupdate=off);