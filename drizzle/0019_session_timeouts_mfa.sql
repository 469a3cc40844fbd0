ALTER TABLE "session" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "mfa_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "mfa_code_hash" text;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "mfa_code_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "mfa_code_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "mfa_attempts" integer DEFAULT 0 NOT NULL;