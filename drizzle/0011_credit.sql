CREATE TABLE "credit_appeal" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"indicator" text NOT NULL,
	"reason" text NOT NULL,
	"evidence" text,
	"state" text NOT NULL,
	"decision_note" text,
	"filed_by" text NOT NULL,
	"decided_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "credit_evaluation" (
	"id" text PRIMARY KEY NOT NULL,
	"scorecard_id" text NOT NULL,
	"warn_below_centi" integer NOT NULL,
	"warned" integer NOT NULL,
	"resolved" integer NOT NULL,
	"started_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_expulsion" (
	"company_id" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"ground" text NOT NULL,
	"expelled_by" text,
	"expelled_at" timestamp with time zone NOT NULL,
	"workers_released" integer
);
--> statement-breakpoint
CREATE TABLE "credit_list_entry" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"display_name" text NOT NULL,
	"list" text NOT NULL,
	"reason" text NOT NULL,
	"listed_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "credit_score" (
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"score_centi" integer NOT NULL,
	"level" text NOT NULL,
	"scorecard_id" text NOT NULL,
	"contributions" jsonb NOT NULL,
	"facts" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "credit_score_subject_type_subject_id_pk" PRIMARY KEY("subject_type","subject_id")
);
--> statement-breakpoint
CREATE TABLE "credit_score_history" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"score_centi" integer NOT NULL,
	"level" text NOT NULL,
	"scorecard_id" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_scorecard" (
	"id" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"config" jsonb NOT NULL,
	"note" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_warning" (
	"id" text PRIMARY KEY NOT NULL,
	"evaluation_id" text NOT NULL,
	"company_id" text NOT NULL,
	"score_centi" integer NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "credit_appeal" ADD CONSTRAINT "credit_appeal_filed_by_user_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_appeal" ADD CONSTRAINT "credit_appeal_decided_by_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_evaluation" ADD CONSTRAINT "credit_evaluation_scorecard_id_credit_scorecard_id_fk" FOREIGN KEY ("scorecard_id") REFERENCES "public"."credit_scorecard"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_evaluation" ADD CONSTRAINT "credit_evaluation_started_by_user_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_expulsion" ADD CONSTRAINT "credit_expulsion_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_expulsion" ADD CONSTRAINT "credit_expulsion_expelled_by_user_id_fk" FOREIGN KEY ("expelled_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_list_entry" ADD CONSTRAINT "credit_list_entry_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_score" ADD CONSTRAINT "credit_score_scorecard_id_credit_scorecard_id_fk" FOREIGN KEY ("scorecard_id") REFERENCES "public"."credit_scorecard"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_scorecard" ADD CONSTRAINT "credit_scorecard_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_warning" ADD CONSTRAINT "credit_warning_evaluation_id_credit_evaluation_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."credit_evaluation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_warning" ADD CONSTRAINT "credit_warning_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_appeal_subject_idx" ON "credit_appeal" USING btree ("subject_type","subject_id","id");--> statement-breakpoint
CREATE INDEX "credit_appeal_state_idx" ON "credit_appeal" USING btree ("state","id");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_appeal_open_uq" ON "credit_appeal" USING btree ("subject_type","subject_id","indicator") WHERE "credit_appeal"."state" = 'submitted';--> statement-breakpoint
CREATE INDEX "credit_list_entry_list_idx" ON "credit_list_entry" USING btree ("list","removed_at","listed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_list_entry_live_uq" ON "credit_list_entry" USING btree ("subject_type","subject_id") WHERE "credit_list_entry"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "credit_score_level_idx" ON "credit_score" USING btree ("subject_type","level","score_centi");--> statement-breakpoint
CREATE INDEX "credit_score_history_subject_idx" ON "credit_score_history" USING btree ("subject_type","subject_id","computed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_scorecard_version_uq" ON "credit_scorecard" USING btree ("version");--> statement-breakpoint
CREATE INDEX "credit_warning_state_idx" ON "credit_warning" USING btree ("state","deadline");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_warning_open_uq" ON "credit_warning" USING btree ("company_id") WHERE "credit_warning"."state" = 'open';