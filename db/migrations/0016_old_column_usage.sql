CREATE TABLE "app_activity_minutes" (
	"environment_id" integer NOT NULL,
	"table_name" text NOT NULL,
	"column_name" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"samples" integer NOT NULL,
	"reads" integer NOT NULL,
	"writes" integer NOT NULL,
	"lock_waiting_samples" integer,
	"max_lock_waiting" integer,
	CONSTRAINT "app_activity_minutes_environment_id_table_name_column_name_minute_pk" PRIMARY KEY("environment_id","table_name","column_name","minute")
);
--> statement-breakpoint
CREATE TABLE "old_column_statement_samples" (
	"environment_id" integer NOT NULL,
	"table_name" text NOT NULL,
	"column_name" text NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"source" text,
	"reads" bigint,
	"writes" bigint,
	"stats_reset" timestamp with time zone,
	"evicted" bigint,
	"why" text,
	CONSTRAINT "old_column_statement_samples_environment_id_table_name_column_name_sampled_at_pk" PRIMARY KEY("environment_id","table_name","column_name","sampled_at")
);
--> statement-breakpoint
ALTER TABLE "app_activity_minutes" ADD CONSTRAINT "app_activity_minutes_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "old_column_statement_samples" ADD CONSTRAINT "old_column_statement_samples_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "app_activity_minutes_minute_idx" ON "app_activity_minutes" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "old_column_statement_samples_sampled_at_idx" ON "old_column_statement_samples" USING btree ("sampled_at");