CREATE TABLE "teardown_progress" (
	"flag_id" integer NOT NULL,
	"environment_id" integer NOT NULL,
	"ramped_at" timestamp with time zone,
	"zero_fallback_confirmed_at" timestamp with time zone,
	"zero_fallback_confirmed_by" text,
	"zero_fallback_evidence" jsonb,
	"schema_contracted_at" timestamp with time zone,
	"schema_contracted_by" text,
	"moved_back_at" timestamp with time zone,
	"moved_back_from" text,
	"moved_back_by" text,
	"moved_back_action" text,
	CONSTRAINT "teardown_progress_flag_id_environment_id_pk" PRIMARY KEY("flag_id","environment_id")
);
--> statement-breakpoint
ALTER TABLE "removal_tickets" DROP CONSTRAINT "removal_tickets_status";--> statement-breakpoint
ALTER TABLE "removal_tickets" ADD COLUMN "legacy_zero_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "removal_tickets" ADD COLUMN "quiet_hours" integer DEFAULT 24 NOT NULL;--> statement-breakpoint
ALTER TABLE "removal_tickets" ADD COLUMN "stale_after_days" integer;--> statement-breakpoint
ALTER TABLE "teardown_progress" ADD CONSTRAINT "teardown_progress_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teardown_progress" ADD CONSTRAINT "teardown_progress_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removal_tickets" ADD CONSTRAINT "removal_tickets_legacy_zero_days" CHECK ("removal_tickets"."legacy_zero_days" between 1 and 90);--> statement-breakpoint
ALTER TABLE "removal_tickets" ADD CONSTRAINT "removal_tickets_quiet_hours" CHECK ("removal_tickets"."quiet_hours" between 1 and 720);--> statement-breakpoint
ALTER TABLE "removal_tickets" ADD CONSTRAINT "removal_tickets_stale_after_days" CHECK ("removal_tickets"."stale_after_days" is null or "removal_tickets"."stale_after_days" between 1 and 365);--> statement-breakpoint
-- "ready" is no longer stored: readiness is computed from the evidence each time.
UPDATE "removal_tickets" SET "status" = 'open' WHERE "status" = 'ready';--> statement-breakpoint
-- The trigger was prose; keep its number of days where it named one.
UPDATE "removal_tickets" SET "legacy_zero_days" = least(greatest(substring("trigger_condition" from '(\d+) days?')::integer, 1), 90) WHERE "trigger_condition" ~ '\d+ days?';--> statement-breakpoint
-- Flags already at 100% and not killed count as ramped since their last change.
INSERT INTO "teardown_progress" ("flag_id", "environment_id", "ramped_at") SELECT "flag_id", "environment_id", "updated_at" FROM "flag_states" WHERE "percentage_bp" = 10000 AND NOT "killed";--> statement-breakpoint
ALTER TABLE "removal_tickets" ADD CONSTRAINT "removal_tickets_status" CHECK ("removal_tickets"."status" in ('open', 'flag_removed', 'done'));