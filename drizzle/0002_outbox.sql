CREATE TABLE "outbox_event" (
	"id" text PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"published_at" timestamp with time zone,
	"failed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "outbox_event_pending_idx" ON "outbox_event" USING btree ("available_at") WHERE "outbox_event"."published_at" is null and "outbox_event"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_event_failed_idx" ON "outbox_event" USING btree ("failed_at") WHERE "outbox_event"."failed_at" is not null;