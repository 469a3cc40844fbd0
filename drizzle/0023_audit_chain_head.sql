CREATE TABLE "audit_chain_head" (
	"id" smallint PRIMARY KEY NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
-- The head starts at the existing chain's last row (or the genesis hash on an empty trail).
INSERT INTO "audit_chain_head" ("id", "prev_hash", "hash")
SELECT 1,
  coalesce((SELECT "prev_hash" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1), repeat('0', 64)),
  coalesce((SELECT "hash" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1), repeat('0', 64));
