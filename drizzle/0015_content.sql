CREATE TABLE "content_attachment" (
	"id" text PRIMARY KEY NOT NULL,
	"item_id" text NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_attachment_size" CHECK ("content_attachment"."size" > 0)
);
--> statement-breakpoint
CREATE TABLE "content_item" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"body_html" text NOT NULL,
	"author_org" text NOT NULL,
	"cover_attachment_id" text,
	"state" text NOT NULL,
	"published_at" timestamp with time zone,
	"first_published_at" timestamp with time zone,
	"unpublished_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "content_item_slug_format" CHECK ("content_item"."slug" ~ '^[a-z0-9][a-z0-9-]{1,79}$'),
	CONSTRAINT "content_item_published" CHECK ("content_item"."state" <> 'published' or "content_item"."published_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "content_attachment" ADD CONSTRAINT "content_attachment_item_id_content_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."content_item"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_attachment" ADD CONSTRAINT "content_attachment_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_item" ADD CONSTRAINT "content_item_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "content_item" ADD CONSTRAINT "content_item_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "content_attachment_item_idx" ON "content_attachment" USING btree ("item_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "content_item_slug_uq" ON "content_item" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "content_item_public_idx" ON "content_item" USING btree ("category","published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "content_item"."state" = 'published';--> statement-breakpoint
CREATE INDEX "content_item_public_all_idx" ON "content_item" USING btree ("published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "content_item"."state" = 'published';--> statement-breakpoint
CREATE INDEX "content_item_editor_idx" ON "content_item" USING btree ("state","id");