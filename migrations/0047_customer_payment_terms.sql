ALTER TABLE "companies" ADD COLUMN "payment_terms_days" integer;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "payment_terms_days" integer;--> statement-breakpoint
ALTER TABLE companies ADD CONSTRAINT companies_payment_terms_range CHECK (payment_terms_days BETWEEN 0 AND 365);--> statement-breakpoint
ALTER TABLE contacts ADD CONSTRAINT contacts_payment_terms_range CHECK (payment_terms_days BETWEEN 0 AND 365);
