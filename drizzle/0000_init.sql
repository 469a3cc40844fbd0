CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" text,
	"actor_roles" text,
	"action" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"outcome" text NOT NULL,
	"request_id" text,
	"ip" text,
	"detail" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "idempotency_key" (
	"principal" text NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_key_principal_key_pk" PRIMARY KEY("principal","key")
);
--> statement-breakpoint
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
CREATE TABLE "account" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"user_id" text NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"id_token" text,
	"access_token_expires_at" timestamp with time zone,
	"refresh_token_expires_at" timestamp with time zone,
	"scope" text,
	"password" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "session" (
	"id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"token" text NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "user" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"image" text,
	"phone_number" text,
	"phone_number_verified" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_email_unique" UNIQUE("email"),
	CONSTRAINT "user_phone_number_unique" UNIQUE("phone_number")
);
--> statement-breakpoint
CREATE TABLE "user_role" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"district" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_invitation" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"role" text NOT NULL,
	"phone_hash" text NOT NULL,
	"phone_enc" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"invited_by" text,
	"responded_by" text,
	"expires_at" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_membership" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by" text
);
--> statement-breakpoint
CREATE TABLE "org_review" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"actor_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organization" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"district" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"application_status" text,
	"uscc" text,
	"legal_representative" text,
	"model" text,
	"address" text,
	"lon" double precision,
	"lat" double precision,
	"coord_system" text DEFAULT 'wgs84' NOT NULL,
	"service_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"contact_name" text,
	"contact_phone_enc" text,
	"licence_key" text,
	"licence_mime" text,
	"licence_size" integer,
	"licence_sha256" text,
	"licence_uploaded_at" timestamp with time zone,
	"credit_grade" text,
	"description" text,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"worker_id" text NOT NULL,
	"company_id" text,
	"district" text NOT NULL,
	"categories" text[] NOT NULL,
	"skill_level" text,
	"issued_at" timestamp with time zone NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"state_reason" text,
	"issued_by" text,
	"qr_kid" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificate_number_seq" (
	"district" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "certificate_number_seq_district_year_pk" PRIMARY KEY("district","year")
);
--> statement-breakpoint
CREATE TABLE "certificate_verification_count" (
	"certificate_id" text NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "certificate_verification_count_certificate_id_day_channel_pk" PRIMARY KEY("certificate_id","day","channel")
);
--> statement-breakpoint
CREATE TABLE "expiry_reminder" (
	"worker_id" text NOT NULL,
	"document" text NOT NULL,
	"expires_on" date NOT NULL,
	"threshold" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expiry_reminder_worker_id_document_expires_on_threshold_pk" PRIMARY KEY("worker_id","document","expires_on","threshold")
);
--> statement-breakpoint
CREATE TABLE "qr_signing_key" (
	"kid" text PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"org_id" text,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "background_check" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"provider" text NOT NULL,
	"state" text NOT NULL,
	"checked_on" date,
	"reference" text,
	"evidence_document_id" text,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "employment" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"company_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pre_job_training" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"course_name" text NOT NULL,
	"passed" boolean NOT NULL,
	"score" integer,
	"exam_date" date NOT NULL,
	"recorded_by" text,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"name" text NOT NULL,
	"id_number_enc" text NOT NULL,
	"id_number_hash" text NOT NULL,
	"birth_date" date NOT NULL,
	"sex" text NOT NULL,
	"phone_enc" text,
	"phone_hash" text,
	"district" text,
	"native_place" text,
	"education" text,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"skill_level" text,
	"maternity_stars" integer,
	"years_experience" integer,
	"intro" text,
	"photo_file_key" text,
	"status" text NOT NULL,
	"registered_via" text NOT NULL,
	"registered_by_org_id" text,
	"identity_verified_at" timestamp with time zone,
	"confirm_code_hash" text,
	"confirm_expires_at" timestamp with time zone,
	"confirm_failures" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_consent" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"user_id" text,
	"text_version" text NOT NULL,
	"text_sha256" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"ip" text,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "worker_document" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"kind" text NOT NULL,
	"file_key" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"issued_on" date,
	"expires_on" date,
	"number" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"uploaded_by" text,
	"superseded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "efile_access_request" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"requester_user_id" text NOT NULL,
	"requester_org_id" text,
	"requester_kind" text NOT NULL,
	"reason" text NOT NULL,
	"state" text NOT NULL,
	"grant_id" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "efile_deletion_request" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"reason" text NOT NULL,
	"state" text NOT NULL,
	"due_on" date NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "efile_grant" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"kind" text NOT NULL,
	"scope" text NOT NULL,
	"token_hash" text,
	"grantee_user_id" text,
	"grantee_org_id" text,
	"access_request_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account" ADD CONSTRAINT "account_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_role" ADD CONSTRAINT "user_role_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_invitation" ADD CONSTRAINT "org_invitation_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_invitation" ADD CONSTRAINT "org_invitation_invited_by_user_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_invitation" ADD CONSTRAINT "org_invitation_responded_by_user_id_fk" FOREIGN KEY ("responded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_membership" ADD CONSTRAINT "org_membership_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_membership" ADD CONSTRAINT "org_membership_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_membership" ADD CONSTRAINT "org_membership_ended_by_user_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_review" ADD CONSTRAINT "org_review_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_review" ADD CONSTRAINT "org_review_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate" ADD CONSTRAINT "certificate_issued_by_user_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_verification_count" ADD CONSTRAINT "certificate_verification_count_certificate_id_certificate_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_org_id_organization_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_check" ADD CONSTRAINT "background_check_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_check" ADD CONSTRAINT "background_check_evidence_document_id_worker_document_id_fk" FOREIGN KEY ("evidence_document_id") REFERENCES "public"."worker_document"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_check" ADD CONSTRAINT "background_check_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employment" ADD CONSTRAINT "employment_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employment" ADD CONSTRAINT "employment_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pre_job_training" ADD CONSTRAINT "pre_job_training_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pre_job_training" ADD CONSTRAINT "pre_job_training_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker" ADD CONSTRAINT "worker_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker" ADD CONSTRAINT "worker_registered_by_org_id_organization_id_fk" FOREIGN KEY ("registered_by_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker" ADD CONSTRAINT "worker_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_consent" ADD CONSTRAINT "worker_consent_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_consent" ADD CONSTRAINT "worker_consent_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_document" ADD CONSTRAINT "worker_document_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_document" ADD CONSTRAINT "worker_document_reviewed_by_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_document" ADD CONSTRAINT "worker_document_uploaded_by_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "efile_access_request" ADD CONSTRAINT "efile_access_request_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "efile_access_request" ADD CONSTRAINT "efile_access_request_requester_user_id_user_id_fk" FOREIGN KEY ("requester_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "efile_access_request" ADD CONSTRAINT "efile_access_request_requester_org_id_organization_id_fk" FOREIGN KEY ("requester_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "efile_deletion_request" ADD CONSTRAINT "efile_deletion_request_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "efile_deletion_request" ADD CONSTRAINT "efile_deletion_request_requested_by_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "efile_deletion_request" ADD CONSTRAINT "efile_deletion_request_decided_by_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "efile_grant" ADD CONSTRAINT "efile_grant_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "efile_grant" ADD CONSTRAINT "efile_grant_grantee_user_id_user_id_fk" FOREIGN KEY ("grantee_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "efile_grant" ADD CONSTRAINT "efile_grant_grantee_org_id_organization_id_fk" FOREIGN KEY ("grantee_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_object_idx" ON "audit_log" USING btree ("object_type","object_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "outbox_event_pending_idx" ON "outbox_event" USING btree ("available_at") WHERE "outbox_event"."published_at" is null and "outbox_event"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_event_failed_idx" ON "outbox_event" USING btree ("failed_at") WHERE "outbox_event"."failed_at" is not null;--> statement-breakpoint
CREATE INDEX "account_user_idx" ON "account" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "session_user_idx" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_role_unique" ON "user_role" USING btree ("user_id","role");--> statement-breakpoint
CREATE INDEX "verification_identifier_idx" ON "verification" USING btree ("identifier");--> statement-breakpoint
CREATE INDEX "org_invitation_phone_idx" ON "org_invitation" USING btree ("phone_hash","status");--> statement-breakpoint
CREATE INDEX "org_invitation_org_idx" ON "org_invitation" USING btree ("org_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "org_invitation_pending_uq" ON "org_invitation" USING btree ("org_id","phone_hash") WHERE "org_invitation"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "org_membership_user_idx" ON "org_membership" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "org_membership_org_idx" ON "org_membership" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "org_review_org_idx" ON "org_review" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "organization_type_status_idx" ON "organization" USING btree ("type","status");--> statement-breakpoint
CREATE INDEX "organization_type_status_district_idx" ON "organization" USING btree ("type","status","district","id");--> statement-breakpoint
CREATE INDEX "organization_application_idx" ON "organization" USING btree ("application_status","id");--> statement-breakpoint
CREATE INDEX "organization_categories_idx" ON "organization" USING gin ("service_categories");--> statement-breakpoint
CREATE UNIQUE INDEX "organization_uscc_uq" ON "organization" USING btree ("uscc") WHERE "organization"."uscc" is not null and "organization"."application_status" is distinct from 'rejected';--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_number_uq" ON "certificate" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_worker_live_uq" ON "certificate" USING btree ("worker_id") WHERE "certificate"."state" <> 'revoked';--> statement-breakpoint
CREATE INDEX "certificate_district_idx" ON "certificate" USING btree ("district","id");--> statement-breakpoint
CREATE INDEX "certificate_valid_until_idx" ON "certificate" USING btree ("valid_until");--> statement-breakpoint
CREATE UNIQUE INDEX "qr_signing_key_active_uq" ON "qr_signing_key" USING btree ("active") WHERE "qr_signing_key"."active";--> statement-breakpoint
CREATE INDEX "notification_user_idx" ON "notification" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "notification_org_idx" ON "notification" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "background_check_worker_idx" ON "background_check" USING btree ("worker_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "employment_open_unique" ON "employment" USING btree ("worker_id") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "employment_company_idx" ON "employment" USING btree ("company_id","ended_at");--> statement-breakpoint
CREATE INDEX "pre_job_training_worker_idx" ON "pre_job_training" USING btree ("worker_id");--> statement-breakpoint
CREATE UNIQUE INDEX "worker_user_unique" ON "worker" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "worker_id_number_unique" ON "worker" USING btree ("id_number_hash");--> statement-breakpoint
CREATE INDEX "worker_phone_hash_idx" ON "worker" USING btree ("phone_hash");--> statement-breakpoint
CREATE INDEX "worker_district_idx" ON "worker" USING btree ("district");--> statement-breakpoint
CREATE INDEX "worker_registered_by_idx" ON "worker" USING btree ("registered_by_org_id");--> statement-breakpoint
CREATE INDEX "worker_consent_worker_idx" ON "worker_consent" USING btree ("worker_id");--> statement-breakpoint
CREATE INDEX "worker_document_worker_idx" ON "worker_document" USING btree ("worker_id");--> statement-breakpoint
CREATE UNIQUE INDEX "worker_document_current_unique" ON "worker_document" USING btree ("worker_id","kind") WHERE superseded_at is null;--> statement-breakpoint
CREATE INDEX "worker_document_queue_idx" ON "worker_document" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "worker_document_expiry_idx" ON "worker_document" USING btree ("kind","expires_on");--> statement-breakpoint
CREATE INDEX "efile_access_request_worker_idx" ON "efile_access_request" USING btree ("worker_id","state","id");--> statement-breakpoint
CREATE INDEX "efile_access_request_requester_idx" ON "efile_access_request" USING btree ("requester_user_id","worker_id");--> statement-breakpoint
CREATE INDEX "efile_deletion_request_state_idx" ON "efile_deletion_request" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "efile_deletion_request_worker_idx" ON "efile_deletion_request" USING btree ("worker_id");--> statement-breakpoint
CREATE UNIQUE INDEX "efile_grant_token_unique" ON "efile_grant" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "efile_grant_worker_idx" ON "efile_grant" USING btree ("worker_id","id");--> statement-breakpoint
CREATE INDEX "efile_grant_grantee_idx" ON "efile_grant" USING btree ("grantee_user_id","worker_id");