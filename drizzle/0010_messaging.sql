CREATE TABLE "conversation" (
	"id" text PRIMARY KEY NOT NULL,
	"resident_user_id" text NOT NULL,
	"worker_id" text,
	"company_id" text,
	"context_kind" text NOT NULL,
	"context_id" text,
	"order_id" text,
	"dedupe_key" text NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"last_message_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_counterpart" CHECK ("conversation"."worker_id" is not null or "conversation"."company_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "conversation_block" (
	"conversation_id" text NOT NULL,
	"blocked_by_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_block_conversation_id_blocked_by_user_id_pk" PRIMARY KEY("conversation_id","blocked_by_user_id")
);
--> statement-breakpoint
CREATE TABLE "conversation_read" (
	"conversation_id" text NOT NULL,
	"user_id" text NOT NULL,
	"last_read_seq" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_read_conversation_id_user_id_pk" PRIMARY KEY("conversation_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "conversation_report" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"reporter_user_id" text NOT NULL,
	"reason" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"reviewed_by_user_id" text,
	"review_note" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "interview" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text,
	"worker_id" text NOT NULL,
	"worker_user_id" text NOT NULL,
	"organizer_user_id" text NOT NULL,
	"company_id" text,
	"scheduled_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"state" text NOT NULL,
	"notes" text,
	"outcome" text,
	"remind_at" timestamp with time zone NOT NULL,
	"reminded_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interview_duration" CHECK ("interview"."duration_minutes" between 5 and 180)
);
--> statement-breakpoint
CREATE TABLE "message" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"seq" integer NOT NULL,
	"sender_user_id" text,
	"sender_side" text NOT NULL,
	"kind" text NOT NULL,
	"body" text,
	"image_key" text,
	"image_mime" text,
	"privacy_flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"system_code" text,
	"system_params" jsonb,
	"client_key" text,
	"source_event_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_kind" CHECK ("message"."kind" in ('text', 'image', 'system'))
);
--> statement-breakpoint
CREATE TABLE "signal_relay" (
	"id" text PRIMARY KEY NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_resident_user_id_user_id_fk" FOREIGN KEY ("resident_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_block" ADD CONSTRAINT "conversation_block_conversation_id_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_block" ADD CONSTRAINT "conversation_block_blocked_by_user_id_user_id_fk" FOREIGN KEY ("blocked_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_read" ADD CONSTRAINT "conversation_read_conversation_id_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_read" ADD CONSTRAINT "conversation_read_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_report" ADD CONSTRAINT "conversation_report_conversation_id_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_report" ADD CONSTRAINT "conversation_report_reporter_user_id_user_id_fk" FOREIGN KEY ("reporter_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_report" ADD CONSTRAINT "conversation_report_reviewed_by_user_id_user_id_fk" FOREIGN KEY ("reviewed_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview" ADD CONSTRAINT "interview_conversation_id_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview" ADD CONSTRAINT "interview_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview" ADD CONSTRAINT "interview_worker_user_id_user_id_fk" FOREIGN KEY ("worker_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview" ADD CONSTRAINT "interview_organizer_user_id_user_id_fk" FOREIGN KEY ("organizer_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interview" ADD CONSTRAINT "interview_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message" ADD CONSTRAINT "message_conversation_id_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message" ADD CONSTRAINT "message_sender_user_id_user_id_fk" FOREIGN KEY ("sender_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_dedupe_unique" ON "conversation" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "conversation_resident_idx" ON "conversation" USING btree ("resident_user_id","last_message_at");--> statement-breakpoint
CREATE INDEX "conversation_worker_idx" ON "conversation" USING btree ("worker_id","last_message_at");--> statement-breakpoint
CREATE INDEX "conversation_company_idx" ON "conversation" USING btree ("company_id","last_message_at");--> statement-breakpoint
CREATE INDEX "conversation_order_idx" ON "conversation" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "conversation_read_user_idx" ON "conversation_read" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "conversation_report_state_idx" ON "conversation_report" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "conversation_report_conversation_idx" ON "conversation_report" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "interview_worker_user_idx" ON "interview" USING btree ("worker_user_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "interview_organizer_idx" ON "interview" USING btree ("organizer_user_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "interview_company_idx" ON "interview" USING btree ("company_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "interview_remind_idx" ON "interview" USING btree ("state","remind_at");--> statement-breakpoint
CREATE UNIQUE INDEX "message_seq_unique" ON "message" USING btree ("conversation_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "message_client_key_unique" ON "message" USING btree ("conversation_id","sender_user_id","client_key");--> statement-breakpoint
CREATE UNIQUE INDEX "message_source_event_unique" ON "message" USING btree ("conversation_id","source_event_id");--> statement-breakpoint
CREATE INDEX "message_sender_time_idx" ON "message" USING btree ("sender_user_id","created_at");