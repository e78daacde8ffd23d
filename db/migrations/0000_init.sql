CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"source" text NOT NULL,
	"environment_id" integer,
	"flag_id" integer,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"request_id" text,
	CONSTRAINT "audit_events_source" CHECK ("audit_events"."source" in ('ui', 'api', 'controller'))
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "environments_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "flag_states" (
	"flag_id" integer NOT NULL,
	"environment_id" integer NOT NULL,
	"default_value" boolean DEFAULT false NOT NULL,
	"percentage_bp" integer DEFAULT 0 NOT NULL,
	"rollout_by" text DEFAULT 'user_id' NOT NULL,
	"contexts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"killed" boolean DEFAULT false NOT NULL,
	"percentage_before_kill_bp" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "flag_states_flag_id_environment_id_pk" PRIMARY KEY("flag_id","environment_id"),
	CONSTRAINT "flag_states_percentage_bp" CHECK ("flag_states"."percentage_bp" between 0 and 10000),
	CONSTRAINT "flag_states_percentage_before_kill_bp" CHECK ("flag_states"."percentage_before_kill_bp" is null or "flag_states"."percentage_before_kill_bp" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "flags" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "flags_key_unique" UNIQUE("key"),
	CONSTRAINT "flags_key_format" CHECK ("flags"."key" ~ '^[a-z0-9][a-z0-9_.-]{0,63}$')
);
--> statement-breakpoint
CREATE TABLE "removal_tickets" (
	"id" serial PRIMARY KEY NOT NULL,
	"flag_id" integer NOT NULL,
	"owner" text NOT NULL,
	"trigger_condition" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"contraction_table" text,
	"contraction_old_column" text,
	"contraction_new_column" text,
	"status" text DEFAULT 'open' NOT NULL,
	"link" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "removal_tickets_flag_id_unique" UNIQUE("flag_id"),
	CONSTRAINT "removal_tickets_status" CHECK ("removal_tickets"."status" in ('open', 'ready', 'flag_removed', 'done'))
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_states" ADD CONSTRAINT "flag_states_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flag_states" ADD CONSTRAINT "flag_states_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "removal_tickets" ADD CONSTRAINT "removal_tickets_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_flag_id_idx" ON "audit_events" USING btree ("flag_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_environment_id_idx" ON "audit_events" USING btree ("environment_id","id");--> statement-breakpoint
CREATE INDEX "removal_tickets_due_at_idx" ON "removal_tickets" USING btree ("due_at");