CREATE TABLE "recruitment_alert" (
	"saved_search_id" text NOT NULL,
	"post_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recruitment_application" (
	"id" text PRIMARY KEY NOT NULL,
	"post_id" text NOT NULL,
	"company_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"fair_id" text,
	"cover_note" text,
	"state" text NOT NULL,
	"efile_grant_id" text,
	"interview_id" text,
	"employment_id" text,
	"hired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recruitment_application_event" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" text NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"party" text NOT NULL,
	"actor_id" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recruitment_cohort" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source_region_code" text NOT NULL,
	"source_region_name" text NOT NULL,
	"training_class_id" text,
	"planned_arrival_on" date NOT NULL,
	"arrived_on" date,
	"created_by_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recruitment_cohort_trainee" (
	"cohort_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recruitment_fair" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"format" text NOT NULL,
	"venue" text,
	"district" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"checkin_code" text NOT NULL,
	"created_by_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recruitment_fair_period" CHECK ("recruitment_fair"."ends_at" > "recruitment_fair"."starts_at"),
	CONSTRAINT "recruitment_fair_venue" CHECK ("recruitment_fair"."format" = 'online' or "recruitment_fair"."venue" is not null)
);
--> statement-breakpoint
CREATE TABLE "recruitment_fair_company" (
	"fair_id" text NOT NULL,
	"company_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recruitment_fair_registration" (
	"id" text PRIMARY KEY NOT NULL,
	"fair_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"checked_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recruitment_post" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"created_by_user_id" text NOT NULL,
	"fair_id" text,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"mode" text NOT NULL,
	"district" text NOT NULL,
	"location" text NOT NULL,
	"salary_min_fen" integer NOT NULL,
	"salary_max_fen" integer NOT NULL,
	"min_level" text,
	"certificate_required" boolean DEFAULT false NOT NULL,
	"min_experience_years" integer DEFAULT 0 NOT NULL,
	"min_age" integer NOT NULL,
	"max_age" integer NOT NULL,
	"benefits" text[] NOT NULL,
	"description" text NOT NULL,
	"headcount" integer NOT NULL,
	"closes_on" date NOT NULL,
	"state" text NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recruitment_post_salary" CHECK ("recruitment_post"."salary_min_fen" > 0 and "recruitment_post"."salary_max_fen" >= "recruitment_post"."salary_min_fen"),
	CONSTRAINT "recruitment_post_age" CHECK ("recruitment_post"."min_age" >= 16 and "recruitment_post"."max_age" >= "recruitment_post"."min_age"),
	CONSTRAINT "recruitment_post_headcount" CHECK ("recruitment_post"."headcount" > 0)
);
--> statement-breakpoint
CREATE TABLE "recruitment_saved_search" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"name" text NOT NULL,
	"categories" text[] NOT NULL,
	"modes" text[] NOT NULL,
	"district" text,
	"min_salary_fen" integer,
	"keyword" text,
	"alerts" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recruitment_alert" ADD CONSTRAINT "recruitment_alert_saved_search_id_recruitment_saved_search_id_fk" FOREIGN KEY ("saved_search_id") REFERENCES "public"."recruitment_saved_search"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_alert" ADD CONSTRAINT "recruitment_alert_post_id_recruitment_post_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."recruitment_post"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_application" ADD CONSTRAINT "recruitment_application_post_id_recruitment_post_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."recruitment_post"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_application" ADD CONSTRAINT "recruitment_application_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_application" ADD CONSTRAINT "recruitment_application_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_application" ADD CONSTRAINT "recruitment_application_fair_id_recruitment_fair_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."recruitment_fair"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_application_event" ADD CONSTRAINT "recruitment_application_event_application_id_recruitment_application_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."recruitment_application"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_cohort" ADD CONSTRAINT "recruitment_cohort_training_class_id_training_class_id_fk" FOREIGN KEY ("training_class_id") REFERENCES "public"."training_class"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_cohort" ADD CONSTRAINT "recruitment_cohort_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_cohort_trainee" ADD CONSTRAINT "recruitment_cohort_trainee_cohort_id_recruitment_cohort_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."recruitment_cohort"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_cohort_trainee" ADD CONSTRAINT "recruitment_cohort_trainee_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_fair" ADD CONSTRAINT "recruitment_fair_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_fair_company" ADD CONSTRAINT "recruitment_fair_company_fair_id_recruitment_fair_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."recruitment_fair"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_fair_company" ADD CONSTRAINT "recruitment_fair_company_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_fair_registration" ADD CONSTRAINT "recruitment_fair_registration_fair_id_recruitment_fair_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."recruitment_fair"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_fair_registration" ADD CONSTRAINT "recruitment_fair_registration_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_post" ADD CONSTRAINT "recruitment_post_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_post" ADD CONSTRAINT "recruitment_post_created_by_user_id_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_post" ADD CONSTRAINT "recruitment_post_fair_id_recruitment_fair_id_fk" FOREIGN KEY ("fair_id") REFERENCES "public"."recruitment_fair"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recruitment_saved_search" ADD CONSTRAINT "recruitment_saved_search_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recruitment_alert_uq" ON "recruitment_alert" USING btree ("saved_search_id","post_id");--> statement-breakpoint
CREATE UNIQUE INDEX "recruitment_application_once_uq" ON "recruitment_application" USING btree ("post_id","worker_id");--> statement-breakpoint
CREATE INDEX "recruitment_application_company_idx" ON "recruitment_application" USING btree ("company_id","state","id");--> statement-breakpoint
CREATE INDEX "recruitment_application_worker_idx" ON "recruitment_application" USING btree ("worker_id","id");--> statement-breakpoint
CREATE INDEX "recruitment_application_event_app_idx" ON "recruitment_application_event" USING btree ("application_id","created_at");--> statement-breakpoint
CREATE INDEX "recruitment_cohort_region_idx" ON "recruitment_cohort" USING btree ("source_region_code");--> statement-breakpoint
CREATE UNIQUE INDEX "recruitment_cohort_trainee_uq" ON "recruitment_cohort_trainee" USING btree ("worker_id");--> statement-breakpoint
CREATE INDEX "recruitment_fair_starts_idx" ON "recruitment_fair" USING btree ("starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "recruitment_fair_company_uq" ON "recruitment_fair_company" USING btree ("fair_id","company_id");--> statement-breakpoint
CREATE UNIQUE INDEX "recruitment_fair_registration_uq" ON "recruitment_fair_registration" USING btree ("fair_id","worker_id");--> statement-breakpoint
CREATE INDEX "recruitment_post_company_idx" ON "recruitment_post" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "recruitment_post_open_idx" ON "recruitment_post" USING btree ("state","closes_on","category");--> statement-breakpoint
CREATE INDEX "recruitment_post_fair_idx" ON "recruitment_post" USING btree ("fair_id");--> statement-breakpoint
CREATE INDEX "recruitment_saved_search_worker_idx" ON "recruitment_saved_search" USING btree ("worker_id");