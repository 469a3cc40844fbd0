-- btree_gist: exclusion constraints that mix equality with range overlap (no double booking of a worker).
-- pg_trgm: trigram indexes for Latin/pinyin text; Chinese short words use bigram arrays instead (docs/architecture.md).
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
