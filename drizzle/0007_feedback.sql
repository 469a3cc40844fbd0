CREATE TABLE "complaint" (
	"id" text PRIMARY KEY NOT NULL,
	"complainant_role" text NOT NULL,
	"complainant_user_id" text NOT NULL,
	"order_id" text,
	"order_number" text,
	"subject_type" text NOT NULL,
	"worker_id" text,
	"company_id" text,
	"employer_user_id" text,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"district" text NOT NULL,
	"state" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"respond_by" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"response" text,
	"escalated_at" timestamp with time zone,
	"escalated_by" text,
	"outcome" text,
	"decision_reason" text,
	"decided_at" timestamp with time zone,
	"certificate_action" text,
	"appealed_at" timestamp with time zone,
	"appeal_reason" text,
	"appealed_by" text,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_event" (
	"id" text PRIMARY KEY NOT NULL,
	"complaint_id" text NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"party" text NOT NULL,
	"actor_id" text,
	"note" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"order_number" text NOT NULL,
	"contract_id" text,
	"side" text NOT NULL,
	"author_user_id" text NOT NULL,
	"author_role" text NOT NULL,
	"worker_id" text,
	"company_id" text,
	"employer_user_id" text,
	"ratings" jsonb NOT NULL,
	"overall" double precision NOT NULL,
	"text" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text NOT NULL,
	"flag_reason" text,
	"moderation_reason" text,
	"moderated_by" text,
	"moderated_at" timestamp with time zone,
	"reply_text" text,
	"reply_by" text,
	"replied_at" timestamp with time zone,
	"district" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_overall_range" CHECK ("review"."overall" >= 1 and "review"."overall" <= 5)
);
--> statement-breakpoint
CREATE TABLE "review_report" (
	"id" text PRIMARY KEY NOT NULL,
	"review_id" text NOT NULL,
	"reporter_user_id" text NOT NULL,
	"reason" text NOT NULL,
	"state" text NOT NULL,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_complainant_user_id_user_id_fk" FOREIGN KEY ("complainant_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_employer_user_id_user_id_fk" FOREIGN KEY ("employer_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_event" ADD CONSTRAINT "complaint_event_complaint_id_complaint_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_event" ADD CONSTRAINT "complaint_event_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_author_user_id_user_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_employer_user_id_user_id_fk" FOREIGN KEY ("employer_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_moderated_by_user_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_reply_by_user_id_fk" FOREIGN KEY ("reply_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_report" ADD CONSTRAINT "review_report_review_id_review_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."review"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_report" ADD CONSTRAINT "review_report_reporter_user_id_user_id_fk" FOREIGN KEY ("reporter_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_report" ADD CONSTRAINT "review_report_decided_by_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_company_idx" ON "complaint" USING btree ("company_id","state","id");--> statement-breakpoint
CREATE INDEX "complaint_worker_idx" ON "complaint" USING btree ("worker_id","id");--> statement-breakpoint
CREATE INDEX "complaint_complainant_idx" ON "complaint" USING btree ("complainant_user_id","id");--> statement-breakpoint
CREATE INDEX "complaint_due_idx" ON "complaint" USING btree ("state","respond_by");--> statement-breakpoint
CREATE INDEX "complaint_district_idx" ON "complaint" USING btree ("district","state","id");--> statement-breakpoint
CREATE INDEX "complaint_event_complaint_idx" ON "complaint_event" USING btree ("complaint_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "review_order_side_unique" ON "review" USING btree ("order_id","side");--> statement-breakpoint
CREATE INDEX "review_worker_idx" ON "review" USING btree ("worker_id","state","id");--> statement-breakpoint
CREATE INDEX "review_company_idx" ON "review" USING btree ("company_id","state","id");--> statement-breakpoint
CREATE INDEX "review_employer_idx" ON "review" USING btree ("employer_user_id","state","id");--> statement-breakpoint
CREATE INDEX "review_author_idx" ON "review" USING btree ("author_user_id","created_at");--> statement-breakpoint
CREATE INDEX "review_state_idx" ON "review" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "review_report_state_idx" ON "review_report" USING btree ("state","id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_report_once" ON "review_report" USING btree ("review_id","reporter_user_id");