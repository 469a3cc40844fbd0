-- A worker's search hit as JSON text (without its distance, which the search adds), built from the projection row's
-- own columns: the fields and names of the API's WorkerHit (discovery.routes.ts `workerHit`), in its order.
-- Declared IMMUTABLE so a generated column may call it; json_build_object is only STABLE because some types' text
-- depends on settings (dates on DateStyle and TimeZone, float8 on extra_float_digits). No date is written here,
-- and the one float, rating_avg, holds one decimal (credit rounds it), which every extra_float_digits writes alike.
CREATE FUNCTION worker_search_hit(
  worker_id text, masked_name text, age smallint, sex text, categories text[], skill_level text,
  maternity_stars smallint, years_experience smallint, native_place text, languages text[], district text,
  color text, company_id text, company_name text, company_grade text, price_from jsonb, min_price_fen integer,
  rating_avg double precision, rating_count integer, worker_credit_score integer, intro text
) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT json_build_object(
    'workerId', worker_id, 'maskedName', masked_name, 'age', age, 'sex', sex, 'categories', categories,
    'skillLevel', skill_level, 'maternityStars', maternity_stars, 'yearsExperience', years_experience,
    'nativePlace', native_place, 'languages', languages, 'district', district, 'color', color,
    'bookable', color = 'green',
    'company', CASE WHEN company_id IS NULL THEN NULL
      ELSE json_build_object('id', company_id, 'name', coalesce(company_name, ''), 'creditGrade', company_grade) END,
    'priceFrom', price_from, 'minPriceFen', min_price_fen, 'ratingAvg', rating_avg, 'ratingCount', rating_count,
    'workerCreditScore', worker_credit_score, 'intro', intro)::text
$$;--> statement-breakpoint
ALTER TABLE "worker_search" ADD COLUMN "hit_json" text GENERATED ALWAYS AS (worker_search_hit(worker_id, masked_name, age, sex, categories, skill_level, maternity_stars, years_experience, native_place, languages, district, color, company_id, company_name, company_grade, price_from, min_price_fen, rating_avg, rating_count, worker_credit_score, intro)) STORED NOT NULL;
