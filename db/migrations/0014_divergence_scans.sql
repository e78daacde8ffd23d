CREATE TABLE "divergence_scans" (
	"environment_id" integer NOT NULL,
	"table_name" text NOT NULL,
	"old_column" text NOT NULL,
	"new_column" text NOT NULL,
	"status" text NOT NULL,
	"rows_scanned" bigint DEFAULT 0 NOT NULL,
	"divergent" bigint DEFAULT 0 NOT NULL,
	"last_key" text,
	"detail" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"started_by" text NOT NULL,
	CONSTRAINT "divergence_scans_environment_id_table_name_old_column_new_column_pk" PRIMARY KEY("environment_id","table_name","old_column","new_column"),
	CONSTRAINT "divergence_scans_status" CHECK ("divergence_scans"."status" in ('running', 'done', 'unavailable'))
);
--> statement-breakpoint
ALTER TABLE "divergence_scans" ADD CONSTRAINT "divergence_scans_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;