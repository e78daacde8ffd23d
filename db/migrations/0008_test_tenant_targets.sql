-- Test-tenant targets on each flag state, and targeted traffic kept apart in path metrics.
ALTER TABLE "flag_states" ADD COLUMN "targets" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "flag_states" ADD COLUMN "targets_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "flag_states" ADD COLUMN "served_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "flag_states" SET "served_since" = "updated_at";--> statement-breakpoint
ALTER TABLE "path_metrics" ADD COLUMN "cohort" text DEFAULT 'ramp' NOT NULL;--> statement-breakpoint
ALTER TABLE "path_metrics" ADD CONSTRAINT "path_metrics_cohort" CHECK ("path_metrics"."cohort" in ('ramp', 'targeted'));--> statement-breakpoint
ALTER TABLE "path_metrics" DROP CONSTRAINT "path_metrics_environment_id_flag_id_resolution_path_bucket_start_pk";--> statement-breakpoint
ALTER TABLE "path_metrics" ADD CONSTRAINT "path_metrics_environment_id_flag_id_resolution_path_cohort_bucket_start_pk" PRIMARY KEY("environment_id","flag_id","resolution","path","cohort","bucket_start");
