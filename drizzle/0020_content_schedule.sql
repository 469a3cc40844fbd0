ALTER TABLE "content_item" ADD COLUMN "scheduled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "content_item" ADD COLUMN "event_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "content_item_scheduled_idx" ON "content_item" USING btree ("scheduled_at") WHERE "content_item"."state" = 'scheduled';--> statement-breakpoint
ALTER TABLE "content_item" ADD CONSTRAINT "content_item_scheduled" CHECK ("content_item"."state" <> 'scheduled' or "content_item"."scheduled_at" is not null);