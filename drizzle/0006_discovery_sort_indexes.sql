DROP INDEX "worker_search_credit_idx";--> statement-breakpoint
DROP INDEX "worker_search_price_idx";--> statement-breakpoint
CREATE INDEX "worker_search_credit_sort_idx" ON "worker_search" USING btree ("credit_rank" DESC NULLS LAST,"worker_id");--> statement-breakpoint
CREATE INDEX "worker_search_price_sort_idx" ON "worker_search" USING btree (coalesce("min_price_fen", 2147483647),"worker_id");--> statement-breakpoint
CREATE INDEX "worker_search_rating_sort_idx" ON "worker_search" USING btree (coalesce("rating_avg", -1) desc nulls last,"worker_id");