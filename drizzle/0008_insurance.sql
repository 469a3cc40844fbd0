CREATE TABLE "insurance_claim" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"policy_id" text NOT NULL,
	"insurer_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"company_id" text,
	"reporter_user_id" text NOT NULL,
	"reporter_kind" text NOT NULL,
	"reporter_org_id" text,
	"order_id" text,
	"coverage_code" text NOT NULL,
	"incident_on" date NOT NULL,
	"place_enc" text NOT NULL,
	"description" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"claimed_fen" integer NOT NULL,
	"approved_fen" integer,
	"paid_fen" integer,
	"payout_ref" text,
	"paid_at" timestamp with time zone,
	"state" text NOT NULL,
	"state_reason" text,
	"due_at" timestamp with time zone,
	"sla_breach_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insurance_claim_amount" CHECK ("insurance_claim"."claimed_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "insurance_claim_event" (
	"id" text PRIMARY KEY NOT NULL,
	"claim_id" text NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"party" text NOT NULL,
	"actor_id" text,
	"reason" text,
	"amount_fen" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insurance_number_seq" (
	"kind" text NOT NULL,
	"day" date NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insurance_policy" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"product_id" text NOT NULL,
	"insurer_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"company_id" text,
	"enrolled_by" text NOT NULL,
	"enrolled_by_user_id" text NOT NULL,
	"batch_id" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"premium_fen" integer NOT NULL,
	"subsidy_fen" integer NOT NULL,
	"company_fen" integer NOT NULL,
	"worker_fen" integer NOT NULL,
	"state" text NOT NULL,
	"state_reason" text,
	"confirmed_at" timestamp with time zone,
	"renewal_reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insurance_policy_period" CHECK ("insurance_policy"."ends_on" >= "insurance_policy"."starts_on"),
	CONSTRAINT "insurance_policy_split" CHECK ("insurance_policy"."subsidy_fen" >= 0 and "insurance_policy"."company_fen" >= 0 and "insurance_policy"."worker_fen" >= 0 and "insurance_policy"."subsidy_fen" + "insurance_policy"."company_fen" + "insurance_policy"."worker_fen" = "insurance_policy"."premium_fen")
);
--> statement-breakpoint
CREATE TABLE "insurance_product" (
	"id" text PRIMARY KEY NOT NULL,
	"insurer_id" text NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"coverage" jsonb NOT NULL,
	"premium_fen" integer NOT NULL,
	"period_months" integer NOT NULL,
	"categories" text[] NOT NULL,
	"subsidy_share_bp" integer NOT NULL,
	"subsidy_cap_fen" integer NOT NULL,
	"waiting_days" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "insurance_product_premium" CHECK ("insurance_product"."premium_fen" > 0),
	CONSTRAINT "insurance_product_share" CHECK ("insurance_product"."subsidy_share_bp" between 0 and 10000),
	CONSTRAINT "insurance_product_cap" CHECK ("insurance_product"."subsidy_cap_fen" >= 0)
);
--> statement-breakpoint
ALTER TABLE "insurance_claim" ADD CONSTRAINT "insurance_claim_policy_id_insurance_policy_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."insurance_policy"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_claim" ADD CONSTRAINT "insurance_claim_insurer_id_organization_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_claim" ADD CONSTRAINT "insurance_claim_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_claim" ADD CONSTRAINT "insurance_claim_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_claim" ADD CONSTRAINT "insurance_claim_reporter_user_id_user_id_fk" FOREIGN KEY ("reporter_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_claim" ADD CONSTRAINT "insurance_claim_reporter_org_id_organization_id_fk" FOREIGN KEY ("reporter_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_claim_event" ADD CONSTRAINT "insurance_claim_event_claim_id_insurance_claim_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."insurance_claim"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_policy" ADD CONSTRAINT "insurance_policy_product_id_insurance_product_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."insurance_product"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_policy" ADD CONSTRAINT "insurance_policy_insurer_id_organization_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_policy" ADD CONSTRAINT "insurance_policy_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_policy" ADD CONSTRAINT "insurance_policy_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_policy" ADD CONSTRAINT "insurance_policy_enrolled_by_user_id_user_id_fk" FOREIGN KEY ("enrolled_by_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insurance_product" ADD CONSTRAINT "insurance_product_insurer_id_organization_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "insurance_claim_number_uq" ON "insurance_claim" USING btree ("number");--> statement-breakpoint
CREATE INDEX "insurance_claim_insurer_idx" ON "insurance_claim" USING btree ("insurer_id","state","id");--> statement-breakpoint
CREATE INDEX "insurance_claim_policy_idx" ON "insurance_claim" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "insurance_claim_worker_idx" ON "insurance_claim" USING btree ("worker_id","id");--> statement-breakpoint
CREATE INDEX "insurance_claim_reporter_idx" ON "insurance_claim" USING btree ("reporter_user_id","id");--> statement-breakpoint
CREATE INDEX "insurance_claim_due_idx" ON "insurance_claim" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "insurance_claim_event_claim_idx" ON "insurance_claim_event" USING btree ("claim_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "insurance_number_seq_uq" ON "insurance_number_seq" USING btree ("kind","day");--> statement-breakpoint
CREATE UNIQUE INDEX "insurance_policy_number_uq" ON "insurance_policy" USING btree ("number");--> statement-breakpoint
CREATE INDEX "insurance_policy_worker_idx" ON "insurance_policy" USING btree ("worker_id","ends_on");--> statement-breakpoint
CREATE INDEX "insurance_policy_insurer_idx" ON "insurance_policy" USING btree ("insurer_id","state","id");--> statement-breakpoint
CREATE INDEX "insurance_policy_company_idx" ON "insurance_policy" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "insurance_policy_confirmed_idx" ON "insurance_policy" USING btree ("confirmed_at");--> statement-breakpoint
CREATE INDEX "insurance_product_insurer_idx" ON "insurance_product" USING btree ("insurer_id","id");