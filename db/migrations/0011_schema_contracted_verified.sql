ALTER TABLE "teardown_progress" ADD COLUMN "schema_contracted_verified" boolean;--> statement-breakpoint
ALTER TABLE "teardown_progress" ADD COLUMN "schema_contracted_evidence" jsonb;