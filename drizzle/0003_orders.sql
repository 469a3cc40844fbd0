CREATE TABLE "demand" (
	"id" text PRIMARY KEY NOT NULL,
	"resident_user_id" text NOT NULL,
	"category" text NOT NULL,
	"mode" text NOT NULL,
	"district" text NOT NULL,
	"address_enc" text NOT NULL,
	"address_masked" text NOT NULL,
	"schedule" jsonb NOT NULL,
	"budget_min_fen" integer,
	"budget_max_fen" integer,
	"description" text NOT NULL,
	"state" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"order_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "demand_offer" (
	"id" text PRIMARY KEY NOT NULL,
	"demand_id" text NOT NULL,
	"company_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"price_item_id" text NOT NULL,
	"message" text,
	"state" text NOT NULL,
	"referral_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_up" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"assignee_kind" text NOT NULL,
	"assignee_org_id" text,
	"district" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"reached" boolean,
	"satisfaction" integer,
	"notes" text,
	"recorded_by" text,
	"recorded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_up_satisfaction" CHECK ("follow_up"."satisfaction" is null or "follow_up"."satisfaction" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "order_assignment" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone,
	"ended_reason" text,
	"replaced_by_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_event" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"party" text NOT NULL,
	"actor_id" text,
	"reason" text,
	"detail" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_number_seq" (
	"day" date PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral" (
	"id" text PRIMARY KEY NOT NULL,
	"demand_id" text NOT NULL,
	"station_id" text NOT NULL,
	"company_id" text NOT NULL,
	"note" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_order" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"resident_user_id" text NOT NULL,
	"company_id" text NOT NULL,
	"worker_id" text,
	"category" text NOT NULL,
	"mode" text NOT NULL,
	"state" text NOT NULL,
	"schedule" jsonb NOT NULL,
	"service_start" timestamp with time zone NOT NULL,
	"service_end" timestamp with time zone NOT NULL,
	"visits" integer NOT NULL,
	"price_item_id" text NOT NULL,
	"price_title" text NOT NULL,
	"unit" text NOT NULL,
	"unit_price_fen" integer NOT NULL,
	"quantity" integer NOT NULL,
	"total_fen" integer NOT NULL,
	"guide_flag" text,
	"address_enc" text NOT NULL,
	"address_masked" text NOT NULL,
	"district" text NOT NULL,
	"note" text,
	"demand_id" text,
	"referral_id" text,
	"contract_ref" text,
	"expires_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" text,
	"cancel_fee_fen" integer,
	"state_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_order_money" CHECK ("service_order"."unit_price_fen" > 0 and "service_order"."quantity" > 0 and "service_order"."total_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "worker_booking" (
	"id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"substitute_for" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "worker_booking_period" CHECK ("worker_booking"."ends_at" > "worker_booking"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "guide_price" (
	"id" text PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"district" text,
	"unit" text NOT NULL,
	"min_fen" integer NOT NULL,
	"max_fen" integer NOT NULL,
	"effective_from" date NOT NULL,
	"effective_until" date,
	"note" text,
	"published_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_item" (
	"id" text PRIMARY KEY NOT NULL,
	"lineage_id" text NOT NULL,
	"version" integer NOT NULL,
	"company_id" text NOT NULL,
	"category" text NOT NULL,
	"mode" text NOT NULL,
	"unit" text NOT NULL,
	"price_fen" integer NOT NULL,
	"price_max_fen" integer,
	"title" text NOT NULL,
	"description" text,
	"active" boolean DEFAULT true NOT NULL,
	"superseded_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_search" (
	"org_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"district" text,
	"address" text,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"location" "point" NOT NULL,
	"categories" text[] NOT NULL,
	"credit_grade" text,
	"grade_rank" smallint NOT NULL,
	"staff_count" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_search" (
	"worker_id" text PRIMARY KEY NOT NULL,
	"masked_name" text NOT NULL,
	"age" smallint,
	"sex" text,
	"categories" text[] NOT NULL,
	"skill_level" text,
	"maternity_stars" smallint,
	"years_experience" smallint,
	"native_place" text,
	"languages" text[] NOT NULL,
	"district" text,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"location" "point" NOT NULL,
	"color" text NOT NULL,
	"certificate_number" text,
	"company_id" text,
	"company_name" text,
	"company_grade" text,
	"credit_rank" smallint NOT NULL,
	"worker_credit_score" integer,
	"price_from" jsonb NOT NULL,
	"min_price_fen" integer,
	"rating_avg" double precision,
	"rating_count" integer,
	"intro" text,
	"skills" text[] NOT NULL,
	"search_tokens" text[] NOT NULL,
	"search_text" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "demand" ADD CONSTRAINT "demand_resident_user_id_user_id_fk" FOREIGN KEY ("resident_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_offer" ADD CONSTRAINT "demand_offer_demand_id_demand_id_fk" FOREIGN KEY ("demand_id") REFERENCES "public"."demand"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_offer" ADD CONSTRAINT "demand_offer_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_offer" ADD CONSTRAINT "demand_offer_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "demand_offer" ADD CONSTRAINT "demand_offer_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_order_id_service_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_assignee_org_id_organization_id_fk" FOREIGN KEY ("assignee_org_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_assignment" ADD CONSTRAINT "order_assignment_order_id_service_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_assignment" ADD CONSTRAINT "order_assignment_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_assignment" ADD CONSTRAINT "order_assignment_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_event" ADD CONSTRAINT "order_event_order_id_service_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_event" ADD CONSTRAINT "order_event_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_demand_id_demand_id_fk" FOREIGN KEY ("demand_id") REFERENCES "public"."demand"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_station_id_organization_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order" ADD CONSTRAINT "service_order_resident_user_id_user_id_fk" FOREIGN KEY ("resident_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order" ADD CONSTRAINT "service_order_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_order" ADD CONSTRAINT "service_order_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_booking" ADD CONSTRAINT "worker_booking_order_id_service_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_booking" ADD CONSTRAINT "worker_booking_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guide_price" ADD CONSTRAINT "guide_price_published_by_user_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_item" ADD CONSTRAINT "service_item_company_id_organization_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_item" ADD CONSTRAINT "service_item_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "demand_open_idx" ON "demand" USING btree ("state","district","category","id");--> statement-breakpoint
CREATE INDEX "demand_resident_idx" ON "demand" USING btree ("resident_user_id","id");--> statement-breakpoint
CREATE INDEX "demand_offer_demand_idx" ON "demand_offer" USING btree ("demand_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "demand_offer_company_unique" ON "demand_offer" USING btree ("demand_id","company_id") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "follow_up_assignee_idx" ON "follow_up" USING btree ("assignee_kind","assignee_org_id","state","due_at");--> statement-breakpoint
CREATE INDEX "follow_up_order_idx" ON "follow_up" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_unique" ON "follow_up" USING btree ("order_id","assignee_kind");--> statement-breakpoint
CREATE INDEX "order_assignment_order_idx" ON "order_assignment" USING btree ("order_id","from_at");--> statement-breakpoint
CREATE UNIQUE INDEX "order_assignment_open_unique" ON "order_assignment" USING btree ("order_id") WHERE to_at is null;--> statement-breakpoint
CREATE INDEX "order_event_order_idx" ON "order_event" USING btree ("order_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_unique" ON "referral" USING btree ("demand_id","company_id");--> statement-breakpoint
CREATE INDEX "referral_station_idx" ON "referral" USING btree ("station_id","id");--> statement-breakpoint
CREATE INDEX "referral_company_idx" ON "referral" USING btree ("company_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_order_number_unique" ON "service_order" USING btree ("number");--> statement-breakpoint
CREATE INDEX "service_order_resident_idx" ON "service_order" USING btree ("resident_user_id","id");--> statement-breakpoint
CREATE INDEX "service_order_company_idx" ON "service_order" USING btree ("company_id","state","id");--> statement-breakpoint
CREATE INDEX "service_order_worker_idx" ON "service_order" USING btree ("worker_id","service_start");--> statement-breakpoint
CREATE INDEX "service_order_due_idx" ON "service_order" USING btree ("state","expires_at");--> statement-breakpoint
CREATE INDEX "service_order_district_idx" ON "service_order" USING btree ("district","category");--> statement-breakpoint
CREATE INDEX "worker_booking_worker_idx" ON "worker_booking" USING btree ("worker_id","starts_at");--> statement-breakpoint
CREATE INDEX "worker_booking_order_idx" ON "worker_booking" USING btree ("order_id","starts_at");--> statement-breakpoint
CREATE INDEX "guide_price_lookup_idx" ON "guide_price" USING btree ("category","unit","district","effective_from");--> statement-breakpoint
CREATE INDEX "service_item_company_idx" ON "service_item" USING btree ("company_id","id") WHERE "service_item"."superseded_at" is null;--> statement-breakpoint
CREATE INDEX "service_item_category_idx" ON "service_item" USING btree ("category","price_fen") WHERE "service_item"."superseded_at" is null and "service_item"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "service_item_lineage_version_uq" ON "service_item" USING btree ("lineage_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "service_item_lineage_current_uq" ON "service_item" USING btree ("lineage_id") WHERE "service_item"."superseded_at" is null;--> statement-breakpoint
CREATE INDEX "org_search_location_gist" ON "org_search" USING gist ("location");--> statement-breakpoint
CREATE INDEX "org_search_type_idx" ON "org_search" USING btree ("type","district","org_id");--> statement-breakpoint
CREATE INDEX "org_search_categories_gin" ON "org_search" USING gin ("categories");--> statement-breakpoint
CREATE INDEX "worker_search_location_gist" ON "worker_search" USING gist ("location");--> statement-breakpoint
CREATE INDEX "worker_search_tokens_gin" ON "worker_search" USING gin ("search_tokens");--> statement-breakpoint
CREATE INDEX "worker_search_categories_gin" ON "worker_search" USING gin ("categories");--> statement-breakpoint
CREATE INDEX "worker_search_credit_idx" ON "worker_search" USING btree ("credit_rank","worker_id");--> statement-breakpoint
CREATE INDEX "worker_search_price_idx" ON "worker_search" USING btree ("min_price_fen","worker_id");--> statement-breakpoint
CREATE INDEX "worker_search_district_idx" ON "worker_search" USING btree ("district","worker_id");