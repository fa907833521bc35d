CREATE INDEX "companies_phones_idx" ON "companies" USING gin ("phones" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "companies_emails_idx" ON "companies" USING gin ("emails" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "contacts_phones_idx" ON "contacts" USING gin ("phones" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "contacts_emails_idx" ON "contacts" USING gin ("emails" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "products_sku_lower_idx" ON "products" USING btree ("workspace_id",lower("sku")) WHERE deleted_at IS NULL;