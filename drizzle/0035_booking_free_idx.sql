-- The search's availability probe reads a worker's active bookings ending after the period's start from this index
-- alone (index-only), instead of every past booking of the worker and its heap row (docs/performance.md).
CREATE INDEX "worker_booking_free_idx" ON "worker_booking" USING btree ("worker_id","ends_at","starts_at") WHERE active;