-- Batch ids are de-duplicated per environment, and batch totals may exceed 2^31.
ALTER TABLE "metric_batches" DROP CONSTRAINT "metric_batches_pkey";--> statement-breakpoint
ALTER TABLE "metric_batches" ALTER COLUMN "samples" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "metric_batches" ALTER COLUMN "dropped" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "metric_batches" ADD CONSTRAINT "metric_batches_environment_id_batch_id_pk" PRIMARY KEY("environment_id","batch_id");
