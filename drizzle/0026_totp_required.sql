ALTER TABLE "session" ADD COLUMN "totp_enrol_by" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "totp_enrol_by" timestamp with time zone;