CREATE TABLE "contract" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"order_id" text NOT NULL,
	"template_id" text NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"revision" integer NOT NULL,
	"terms" jsonb NOT NULL,
	"address_enc" text NOT NULL,
	"resident_user_id" text NOT NULL,
	"company_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"category" text NOT NULL,
	"mode" text NOT NULL,
	"district" text NOT NULL,
	"previous_id" text,
	"replaced_by_id" text,
	"pdf_key" text,
	"pdf_sha256" text,
	"terms_sha256" text,
	"filing_no" text,
	"sealed_at" timestamp with time zone,
	"terminated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_number_seq" (
	"key" text PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_revision" (
	"id" text PRIMARY KEY NOT NULL,
	"contract_id" text NOT NULL,
	"revision" integer NOT NULL,
	"terms" jsonb NOT NULL,
	"party" text NOT NULL,
	"actor_id" text,
	"changed" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_sign_code" (
	"id" text PRIMARY KEY NOT NULL,
	"contract_id" text NOT NULL,
	"party" text NOT NULL,
	"user_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_signature" (
	"id" text PRIMARY KEY NOT NULL,
	"contract_id" text NOT NULL,
	"party" text NOT NULL,
	"signer_user_id" text NOT NULL,
	"revision" integer NOT NULL,
	"signer_ip" text,
	"signer_user_agent" text,
	"signature_sha256" text NOT NULL,
	"signature_key" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_template" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"clauses" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_termination" (
	"id" text PRIMARY KEY NOT NULL,
	"contract_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"requested_by_user_id" text,
	"reason" text NOT NULL,
	"effective_date" date NOT NULL,
	"settlement" jsonb NOT NULL,
	"confirmed_by" jsonb NOT NULL,
	"state" text NOT NULL,
	"disputed_by" text,
	"dispute_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_order_id_service_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_template_id_contract_template_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."contract_template"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_resident_user_id_user_id_fk" FOREIGN KEY ("resident_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract" ADD CONSTRAINT "contract_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_revision" ADD CONSTRAINT "contract_revision_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_revision" ADD CONSTRAINT "contract_revision_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_sign_code" ADD CONSTRAINT "contract_sign_code_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_sign_code" ADD CONSTRAINT "contract_sign_code_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_signature" ADD CONSTRAINT "contract_signature_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_signature" ADD CONSTRAINT "contract_signature_signer_user_id_user_id_fk" FOREIGN KEY ("signer_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_template" ADD CONSTRAINT "contract_template_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_termination" ADD CONSTRAINT "contract_termination_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_termination" ADD CONSTRAINT "contract_termination_requested_by_user_id_user_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contract_number_uq" ON "contract" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_filing_no_uq" ON "contract" USING btree ("filing_no");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_order_open_uq" ON "contract" USING btree ("order_id") WHERE "contract"."state" in ('draft', 'signing');--> statement-breakpoint
CREATE INDEX "contract_order_idx" ON "contract" USING btree ("order_id","id");--> statement-breakpoint
CREATE INDEX "contract_company_idx" ON "contract" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "contract_resident_idx" ON "contract" USING btree ("resident_user_id","id");--> statement-breakpoint
CREATE INDEX "contract_worker_idx" ON "contract" USING btree ("worker_id","id");--> statement-breakpoint
CREATE INDEX "contract_filed_idx" ON "contract" USING btree ("sealed_at","district","category");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_revision_uq" ON "contract_revision" USING btree ("contract_id","revision");--> statement-breakpoint
CREATE INDEX "contract_sign_code_idx" ON "contract_sign_code" USING btree ("contract_id","party","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_signature_party_uq" ON "contract_signature" USING btree ("contract_id","party");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_template_kind_version_uq" ON "contract_template" USING btree ("kind","version");--> statement-breakpoint
CREATE INDEX "contract_termination_contract_idx" ON "contract_termination" USING btree ("contract_id","created_at");