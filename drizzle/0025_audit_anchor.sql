CREATE TABLE "audit_anchor" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_anchor_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"n" bigint NOT NULL,
	"last_seq" bigint NOT NULL,
	"head" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"suite" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	"sink" text NOT NULL
);
