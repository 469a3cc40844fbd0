CREATE TABLE "insights_complaint_month" (
	"month" text NOT NULL,
	"district" text NOT NULL,
	"filed" integer NOT NULL,
	"answered" integer NOT NULL,
	"answered_in_sla" integer NOT NULL,
	"sla_due" integer NOT NULL,
	CONSTRAINT "insights_complaint_month_month_district_pk" PRIMARY KEY("month","district")
);
--> statement-breakpoint
CREATE TABLE "insights_flow_month" (
	"month" text NOT NULL,
	"district" text NOT NULL,
	"category" text NOT NULL,
	"mode" text NOT NULL,
	"orders_created" integer NOT NULL,
	"orders_completed" integer NOT NULL,
	"completed_value_fen" bigint NOT NULL,
	"satisfaction_count" integer NOT NULL,
	"satisfaction_sum" integer NOT NULL,
	"demands_created" integer NOT NULL,
	CONSTRAINT "insights_flow_month_month_district_category_mode_pk" PRIMARY KEY("month","district","category","mode")
);
--> statement-breakpoint
CREATE TABLE "insights_refresh" (
	"id" text PRIMARY KEY NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"trigger" text NOT NULL,
	"actor_id" text
);
--> statement-breakpoint
CREATE TABLE "insights_report" (
	"id" text PRIMARY KEY NOT NULL,
	"month" text NOT NULL,
	"file_key" text NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"generated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insights_stock" (
	"district" text NOT NULL,
	"metric" text NOT NULL,
	"dim" text NOT NULL,
	"value" integer NOT NULL,
	CONSTRAINT "insights_stock_district_metric_dim_pk" PRIMARY KEY("district","metric","dim")
);
--> statement-breakpoint
CREATE TABLE "wage_survey_edition" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"state" text NOT NULL,
	"min_samples" integer NOT NULL,
	"created_by" text,
	"published_at" timestamp with time zone,
	"published_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wage_survey_edition_period" CHECK ("wage_survey_edition"."period_to" >= "wage_survey_edition"."period_from"),
	CONSTRAINT "wage_survey_edition_min" CHECK ("wage_survey_edition"."min_samples" >= 1)
);
--> statement-breakpoint
CREATE TABLE "wage_survey_sample" (
	"id" text PRIMARY KEY NOT NULL,
	"edition_id" text NOT NULL,
	"position" text NOT NULL,
	"district" text NOT NULL,
	"source" text NOT NULL,
	"unit" text NOT NULL,
	"value_fen" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wage_survey_sample_value" CHECK ("wage_survey_sample"."value_fen" > 0)
);
--> statement-breakpoint
ALTER TABLE "insights_refresh" ADD CONSTRAINT "insights_refresh_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_report" ADD CONSTRAINT "insights_report_generated_by_user_id_fk" FOREIGN KEY ("generated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wage_survey_edition" ADD CONSTRAINT "wage_survey_edition_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wage_survey_edition" ADD CONSTRAINT "wage_survey_edition_published_by_user_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wage_survey_sample" ADD CONSTRAINT "wage_survey_sample_edition_id_wage_survey_edition_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."wage_survey_edition"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "insights_flow_month_district_idx" ON "insights_flow_month" USING btree ("district","month");--> statement-breakpoint
CREATE INDEX "insights_refresh_as_of_idx" ON "insights_refresh" USING btree ("as_of");--> statement-breakpoint
CREATE UNIQUE INDEX "insights_report_month_uq" ON "insights_report" USING btree ("month");--> statement-breakpoint
CREATE INDEX "wage_survey_edition_state_idx" ON "wage_survey_edition" USING btree ("state","published_at");--> statement-breakpoint
CREATE INDEX "wage_survey_sample_edition_idx" ON "wage_survey_sample" USING btree ("edition_id","position","district");