ALTER TABLE "idempotency_key" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "idempotency_key" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "idempotency_key" ADD COLUMN "effect_at" timestamp with time zone;