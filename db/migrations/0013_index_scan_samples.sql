CREATE TABLE "index_scan_samples" (
	"environment_id" integer NOT NULL,
	"table_name" text NOT NULL,
	"index_name" text NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"idx_scan" bigint NOT NULL,
	CONSTRAINT "index_scan_samples_environment_id_table_name_index_name_sampled_at_pk" PRIMARY KEY("environment_id","table_name","index_name","sampled_at")
);
--> statement-breakpoint
ALTER TABLE "index_scan_samples" ADD CONSTRAINT "index_scan_samples_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "index_scan_samples_sampled_at_idx" ON "index_scan_samples" USING btree ("sampled_at");