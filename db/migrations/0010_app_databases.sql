CREATE TABLE "app_databases" (
	"id" serial PRIMARY KEY NOT NULL,
	"environment_id" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"dsn_ciphertext" text NOT NULL,
	"health" text DEFAULT 'unknown' NOT NULL,
	"health_detail" text,
	"server_version" text,
	"checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	CONSTRAINT "app_databases_environment_id_unique" UNIQUE("environment_id"),
	CONSTRAINT "app_databases_kind" CHECK ("app_databases"."kind" in ('postgresql', 'mysql')),
	CONSTRAINT "app_databases_health" CHECK ("app_databases"."health" in ('unknown', 'ok', 'unavailable'))
);
--> statement-breakpoint
ALTER TABLE "app_databases" ADD CONSTRAINT "app_databases_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;