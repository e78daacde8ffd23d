CREATE TABLE "guard_windows" (
	"environment_id" integer NOT NULL,
	"flag_id" integer NOT NULL,
	"path" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"requests" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"sketch" text,
	CONSTRAINT "guard_windows_environment_id_flag_id_path_window_start_pk" PRIMARY KEY("environment_id","flag_id","path","window_start"),
	CONSTRAINT "guard_windows_path" CHECK ("guard_windows"."path" in ('new', 'legacy'))
);
--> statement-breakpoint
CREATE TABLE "ramp_plans" (
	"flag_id" integer NOT NULL,
	"environment_id" integer NOT NULL,
	"plan" jsonb NOT NULL,
	"status" text NOT NULL,
	"step" integer NOT NULL,
	"step_started_at" timestamp with time zone NOT NULL,
	"status_reason" text,
	"last_check" jsonb,
	"last_check_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "ramp_plans_flag_id_environment_id_pk" PRIMARY KEY("flag_id","environment_id"),
	CONSTRAINT "ramp_plans_status" CHECK ("ramp_plans"."status" in ('running', 'paused', 'completed', 'rolled_back', 'aborted'))
);
--> statement-breakpoint
ALTER TABLE "guard_windows" ADD CONSTRAINT "guard_windows_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guard_windows" ADD CONSTRAINT "guard_windows_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ramp_plans" ADD CONSTRAINT "ramp_plans_flag_id_flags_id_fk" FOREIGN KEY ("flag_id") REFERENCES "public"."flags"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ramp_plans" ADD CONSTRAINT "ramp_plans_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guard_windows_window_start_idx" ON "guard_windows" USING btree ("window_start");--> statement-breakpoint
CREATE INDEX "ramp_plans_status_idx" ON "ramp_plans" USING btree ("status");