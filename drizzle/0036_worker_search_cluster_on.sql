-- The search projection's heap is kept in the order of its location index (rebuild-bulk.ts writes it so after a bulk
-- load; `CLUSTER worker_search;` restores it in a maintenance window, docs/operations.md): a nearest-first search then
-- reads its rows from fewer, neighbouring pages (docs/performance.md, "Rows in the order of the map").
ALTER TABLE "worker_search" CLUSTER ON "worker_search_location_gist";
