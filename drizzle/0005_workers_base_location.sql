CREATE TABLE "training_attempt" (
	"id" text PRIMARY KEY NOT NULL,
	"exam_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"seed" text NOT NULL,
	"question_ids" text[] NOT NULL,
	"answers" jsonb NOT NULL,
	"state" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"score" integer,
	"passed" boolean,
	"breakdown" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_attendance" (
	"class_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"day" date NOT NULL,
	"minutes" integer NOT NULL,
	"checked_in_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_attendance_class_id_worker_id_day_pk" PRIMARY KEY("class_id","worker_id","day")
);
--> statement-breakpoint
CREATE TABLE "training_certificate" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"worker_id" text NOT NULL,
	"course_id" text NOT NULL,
	"org_id" text NOT NULL,
	"attempt_id" text,
	"minutes" integer NOT NULL,
	"score" integer NOT NULL,
	"verify_token" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_certificate_seq" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_class" (
	"id" text PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"org_id" text NOT NULL,
	"title" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"minutes_per_day" integer NOT NULL,
	"venue" text NOT NULL,
	"lon" double precision,
	"lat" double precision,
	"capacity" integer NOT NULL,
	"checkin_token" text NOT NULL,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_course" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"kind" text NOT NULL,
	"skill_level" text,
	"required_minutes" integer NOT NULL,
	"description" text,
	"state" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_enrolment" (
	"class_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_enrolment_class_id_worker_id_pk" PRIMARY KEY("class_id","worker_id")
);
--> statement-breakpoint
CREATE TABLE "training_exam" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text,
	"course_id" text,
	"bank_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"rules" jsonb NOT NULL,
	"time_limit_minutes" integer NOT NULL,
	"pass_score" integer NOT NULL,
	"max_attempts" integer NOT NULL,
	"cooldown_minutes" integer NOT NULL,
	"state" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_lesson" (
	"id" text PRIMARY KEY NOT NULL,
	"course_id" text NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"body_html" text,
	"file_key" text,
	"file_mime" text,
	"file_size" integer,
	"url" text,
	"minutes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_lesson_progress" (
	"worker_id" text NOT NULL,
	"lesson_id" text NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_lesson_progress_worker_id_lesson_id_pk" PRIMARY KEY("worker_id","lesson_id")
);
--> statement-breakpoint
CREATE TABLE "training_question" (
	"id" text PRIMARY KEY NOT NULL,
	"bank_id" text NOT NULL,
	"type" text NOT NULL,
	"stem" text NOT NULL,
	"options" text[] NOT NULL,
	"answer" integer[] NOT NULL,
	"category" text NOT NULL,
	"level" text,
	"topic" text NOT NULL,
	"difficulty" text NOT NULL,
	"explanation" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_question_bank" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text,
	"name" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_subsidy_rate" (
	"course_kind" text PRIMARY KEY NOT NULL,
	"amount_fen" integer NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "worker" ADD COLUMN "base_lon" double precision;--> statement-breakpoint
ALTER TABLE "worker" ADD COLUMN "base_lat" double precision;--> statement-breakpoint
ALTER TABLE "training_attempt" ADD CONSTRAINT "training_attempt_exam_id_training_exam_id_fk" FOREIGN KEY ("exam_id") REFERENCES "public"."training_exam"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attendance" ADD CONSTRAINT "training_attendance_class_id_training_class_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."training_class"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_certificate" ADD CONSTRAINT "training_certificate_course_id_training_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."training_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_certificate" ADD CONSTRAINT "training_certificate_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_certificate" ADD CONSTRAINT "training_certificate_attempt_id_training_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."training_attempt"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_class" ADD CONSTRAINT "training_class_course_id_training_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."training_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_class" ADD CONSTRAINT "training_class_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_course" ADD CONSTRAINT "training_course_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_course" ADD CONSTRAINT "training_course_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_enrolment" ADD CONSTRAINT "training_enrolment_class_id_training_class_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."training_class"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_exam" ADD CONSTRAINT "training_exam_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_exam" ADD CONSTRAINT "training_exam_course_id_training_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."training_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_exam" ADD CONSTRAINT "training_exam_bank_id_training_question_bank_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."training_question_bank"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_exam" ADD CONSTRAINT "training_exam_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_lesson" ADD CONSTRAINT "training_lesson_course_id_training_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."training_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_lesson_progress" ADD CONSTRAINT "training_lesson_progress_lesson_id_training_lesson_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."training_lesson"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_question" ADD CONSTRAINT "training_question_bank_id_training_question_bank_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."training_question_bank"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_question_bank" ADD CONSTRAINT "training_question_bank_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_question_bank" ADD CONSTRAINT "training_question_bank_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_subsidy_rate" ADD CONSTRAINT "training_subsidy_rate_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "training_attempt_open_uq" ON "training_attempt" USING btree ("exam_id","worker_id") WHERE "training_attempt"."state" = 'open';--> statement-breakpoint
CREATE INDEX "training_attempt_worker_idx" ON "training_attempt" USING btree ("worker_id","exam_id","started_at");--> statement-breakpoint
CREATE INDEX "training_attempt_exam_idx" ON "training_attempt" USING btree ("exam_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_certificate_number_uq" ON "training_certificate" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "training_certificate_token_uq" ON "training_certificate" USING btree ("verify_token");--> statement-breakpoint
CREATE UNIQUE INDEX "training_certificate_worker_course_uq" ON "training_certificate" USING btree ("worker_id","course_id");--> statement-breakpoint
CREATE INDEX "training_certificate_org_idx" ON "training_certificate" USING btree ("org_id","issued_at");--> statement-breakpoint
CREATE INDEX "training_class_org_idx" ON "training_class" USING btree ("org_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_class_checkin_uq" ON "training_class" USING btree ("checkin_token");--> statement-breakpoint
CREATE INDEX "training_course_org_idx" ON "training_course" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "training_course_state_idx" ON "training_course" USING btree ("state");--> statement-breakpoint
CREATE INDEX "training_enrolment_worker_idx" ON "training_enrolment" USING btree ("worker_id");--> statement-breakpoint
CREATE INDEX "training_exam_org_idx" ON "training_exam" USING btree ("org_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_lesson_position_uq" ON "training_lesson" USING btree ("course_id","position");--> statement-breakpoint
CREATE INDEX "training_question_draw_idx" ON "training_question" USING btree ("bank_id","topic","difficulty");--> statement-breakpoint
CREATE INDEX "training_question_bank_org_idx" ON "training_question_bank" USING btree ("org_id");