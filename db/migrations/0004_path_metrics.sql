CREATE TABLE "metric_batches" (
	"batch_id" text PRIMARY KEY NOT NULL,
	"environment_id" integer NOT NULL,
	"instance_id" text NOT NULL,
	"samples" integer NOT NULL,
	"dropped" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "path_metrics" (
	"environment_id" integer NOT NULL,
	"flag_id" integer NOT NULL,
	"path" text NOT NULL,
	"resolution" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	"reasons" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sketch" text,
	CONSTRAINT "path_metrics_environment_id_flag_id_resolution_path_bucket_start_pk" PRIMARY KEY("environment_id","flag_id","resolution","path","bucket_start"),
	CONSTRAINT "path_metrics_path" CHECK ("path_metrics"."path" in ('new', 'legacy')),
	CONSTRAINT "path_metrics_resolution" CHECK ("path_metrics"."resolution" in ('minute', 'hour'))
);
--> statement-breakpoint
ALTER TABLE "flag_states" ADD COLUMN "last_evaluated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "metric_batches" ADD CONSTRAINT "metric_batches_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "path_metrics" ADD CONSTRAINT "path_metrics_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "path_metrics" ADD CONSTRAINT "path_metrics_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_batches_received_at_idx" ON "metric_batches" USING btree ("received_at");