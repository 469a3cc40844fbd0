CREATE TABLE "recruitment_contact_consent" (
	"worker_id" text PRIMARY KEY NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"last_invited_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "recruitment_cohort" ADD COLUMN "destination_district" text;--> statement-breakpoint
ALTER TABLE "recruitment_contact_consent" ADD CONSTRAINT "recruitment_contact_consent_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recruitment_cohort_destination_idx" ON "recruitment_cohort" USING btree ("destination_district");