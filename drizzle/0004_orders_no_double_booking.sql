-- No double booking: a worker's active bookings may not overlap in time. Enforced by PostgreSQL, so two
-- concurrent accepts of overlapping orders cannot both commit (the loser gets SQLSTATE 23P01).
ALTER TABLE "worker_booking" ADD CONSTRAINT "worker_booking_no_overlap"
  EXCLUDE USING gist ("worker_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("active");
