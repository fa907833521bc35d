ALTER TABLE "companies" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Every UPDATE of a record row bumps its version (optimistic concurrency: If-Match → 409).
-- System writes of derived values (scores, figures) may keep it with SET LOCAL sen.keep_version = 'on';
-- a restore (sen.restoring = 'on') writes rows back as they were.
CREATE OR REPLACE FUNCTION sen_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('sen.keep_version', true), '') <> 'on'
     AND coalesce(current_setting('sen.restoring', true), '') <> 'on' THEN
    NEW.version := OLD.version + 1;
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER contacts_version BEFORE UPDATE ON contacts FOR EACH ROW EXECUTE FUNCTION sen_bump_version();--> statement-breakpoint
CREATE TRIGGER companies_version BEFORE UPDATE ON companies FOR EACH ROW EXECUTE FUNCTION sen_bump_version();--> statement-breakpoint
CREATE TRIGGER products_version BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION sen_bump_version();
