ALTER TABLE "teardown_progress" ADD COLUMN "zero_fallback_override_by" text;--> statement-breakpoint
ALTER TABLE "teardown_progress" ADD COLUMN "zero_fallback_override_reason" text;