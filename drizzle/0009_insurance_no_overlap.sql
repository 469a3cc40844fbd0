-- No overlapping cover: one worker may not hold two pending/active policies of the same product over
-- overlapping periods. Enforced by PostgreSQL, so two concurrent enrolments cannot both commit (SQLSTATE 23P01).
ALTER TABLE "insurance_policy" ADD CONSTRAINT "insurance_policy_no_overlap"
  EXCLUDE USING gist ("worker_id" WITH =, "product_id" WITH =, daterange("starts_on", "ends_on", '[]') WITH &&)
  WHERE ("state" IN ('pending', 'active'));
