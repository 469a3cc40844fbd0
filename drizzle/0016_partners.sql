CREATE TABLE "partner_api_key" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"label" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"replaced_by" text,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_client" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"organization" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_phone_enc" text NOT NULL,
	"scopes" text[] NOT NULL,
	"ip_allowlist" text[] NOT NULL,
	"rate_limit_per_minute" integer NOT NULL,
	"status" text NOT NULL,
	"sandbox" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_consent" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"client_id" text NOT NULL,
	"scope" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_delivery" (
	"id" text PRIMARY KEY NOT NULL,
	"webhook_id" text NOT NULL,
	"client_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_delivery_attempt" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"replay" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_order" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"order_id" text NOT NULL,
	"external_user_id" text NOT NULL,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_resident" (
	"client_id" text NOT NULL,
	"external_user_id" text NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_resident_client_id_external_user_id_pk" PRIMARY KEY("client_id","external_user_id")
);
--> statement-breakpoint
CREATE TABLE "partner_usage" (
	"key_id" text NOT NULL,
	"client_id" text NOT NULL,
	"day" date NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "partner_usage_key_id_day_pk" PRIMARY KEY("key_id","day")
);
--> statement-breakpoint
CREATE TABLE "partner_webhook" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"secret_enc" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "partner_api_key" ADD CONSTRAINT "partner_api_key_client_id_partner_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."partner_client"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_client" ADD CONSTRAINT "partner_client_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_consent" ADD CONSTRAINT "partner_consent_worker_id_worker_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."worker"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_consent" ADD CONSTRAINT "partner_consent_client_id_partner_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."partner_client"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_consent" ADD CONSTRAINT "partner_consent_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_delivery" ADD CONSTRAINT "partner_delivery_webhook_id_partner_webhook_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."partner_webhook"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_delivery" ADD CONSTRAINT "partner_delivery_client_id_partner_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."partner_client"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_delivery_attempt" ADD CONSTRAINT "partner_delivery_attempt_delivery_id_partner_delivery_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."partner_delivery"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_order" ADD CONSTRAINT "partner_order_client_id_partner_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."partner_client"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_order" ADD CONSTRAINT "partner_order_order_id_service_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."service_order"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_resident" ADD CONSTRAINT "partner_resident_client_id_partner_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."partner_client"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_resident" ADD CONSTRAINT "partner_resident_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_usage" ADD CONSTRAINT "partner_usage_key_id_partner_api_key_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."partner_api_key"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_usage" ADD CONSTRAINT "partner_usage_client_id_partner_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."partner_client"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_webhook" ADD CONSTRAINT "partner_webhook_client_id_partner_client_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."partner_client"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "partner_api_key_hash_unique" ON "partner_api_key" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "partner_api_key_client_idx" ON "partner_api_key" USING btree ("client_id","id");--> statement-breakpoint
CREATE INDEX "partner_consent_worker_idx" ON "partner_consent" USING btree ("worker_id","id");--> statement-breakpoint
CREATE INDEX "partner_consent_client_idx" ON "partner_consent" USING btree ("client_id","worker_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_delivery_event_unique" ON "partner_delivery" USING btree ("webhook_id","event_id");--> statement-breakpoint
CREATE INDEX "partner_delivery_client_idx" ON "partner_delivery" USING btree ("client_id","id");--> statement-breakpoint
CREATE INDEX "partner_delivery_due_idx" ON "partner_delivery" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "partner_delivery_attempt_idx" ON "partner_delivery_attempt" USING btree ("delivery_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_order_order_unique" ON "partner_order" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "partner_order_client_idx" ON "partner_order" USING btree ("client_id","id");--> statement-breakpoint
CREATE INDEX "partner_usage_client_idx" ON "partner_usage" USING btree ("client_id","day");--> statement-breakpoint
CREATE INDEX "partner_webhook_client_idx" ON "partner_webhook" USING btree ("client_id","id");