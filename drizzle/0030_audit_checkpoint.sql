CREATE TABLE "audit_checkpoint" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_checkpoint_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"n" bigint NOT NULL,
	"last_seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"hash_alg" text NOT NULL,
	"removed" bigint NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"suite" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	"sink" text NOT NULL
);
--> statement-breakpoint
-- Retention of the audit trail: UPDATE and TRUNCATE stay refused; DELETE is refused except for the checkpointed
-- prefix of the newest checkpoint, through audit_prune() (it names the checkpoint in a transaction-local setting the
-- row trigger checks), and a statement that would leave an older row behind (a hole) is refused as a whole.
DROP TRIGGER "audit_log_no_update" ON "audit_log";
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_guard_delete() RETURNS trigger AS $$
DECLARE
  cp text := current_setting('anxin.audit_prune', true);
  upto bigint;
BEGIN
  IF cp ~ '^[0-9]{1,18}$' THEN
    SELECT c.last_seq INTO upto FROM audit_checkpoint c
     WHERE c.seq = cp::bigint AND c.seq = (SELECT max(seq) FROM audit_checkpoint);
  END IF;
  IF upto IS NULL OR OLD.seq > upto THEN
    RAISE EXCEPTION 'audit_log is append-only (DELETE refused: only the prefix of the newest checkpoint, through audit_prune)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_guard_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_guard_delete();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_no_hole() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM audit_log WHERE seq < (SELECT max(seq) FROM gone)) THEN
    RAISE EXCEPTION 'audit_log: only a prefix may be removed (an older row would remain)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_hole AFTER DELETE ON audit_log
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_hole();
--> statement-breakpoint
-- A checkpoint must name a row of the chain as it stands (seq, hash, function), cover exactly the rows it removes
-- (n grows by `removed`, the count of rows up to it), follow a finished prune, and never change afterwards except
-- for its delivery column. Its signature is checked by the verifier (the key is not in the database).
CREATE OR REPLACE FUNCTION audit_checkpoint_guard() RETURNS trigger AS $$
DECLARE
  prev_n bigint := 0;
  prev_last bigint := 0;
  row_hash text;
  row_alg text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF (NEW.seq, NEW.n, NEW.last_seq, NEW.hash, NEW.hash_alg, NEW.removed, NEW.first_at, NEW.last_at, NEW.at,
        NEW.suite, NEW.key_id, NEW.signature)
       IS NOT DISTINCT FROM
       (OLD.seq, OLD.n, OLD.last_seq, OLD.hash, OLD.hash_alg, OLD.removed, OLD.first_at, OLD.last_at, OLD.at,
        OLD.suite, OLD.key_id, OLD.signature) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_checkpoint is append-only (UPDATE of a signed field refused)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'audit_checkpoint is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- One checkpoint at a time, judged against the committed previous one.
  LOCK TABLE audit_checkpoint IN SHARE ROW EXCLUSIVE MODE;
  SELECT c.n, c.last_seq INTO prev_n, prev_last FROM audit_checkpoint c ORDER BY c.seq DESC LIMIT 1;
  prev_n := coalesce(prev_n, 0);
  prev_last := coalesce(prev_last, 0);
  IF EXISTS (SELECT 1 FROM audit_log WHERE seq <= prev_last) THEN
    RAISE EXCEPTION 'audit_checkpoint: the previous checkpoint''s prune is unfinished'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT l.hash, l.hash_alg INTO row_hash, row_alg FROM audit_log l WHERE l.seq = NEW.last_seq;
  IF row_hash IS NULL OR row_hash <> NEW.hash OR row_alg <> NEW.hash_alg
     OR NEW.last_seq <= prev_last OR NEW.removed < 1
     OR NEW.removed <> (SELECT count(*) FROM audit_log WHERE seq <= NEW.last_seq)
     OR NEW.n <> prev_n + NEW.removed THEN
    RAISE EXCEPTION 'audit_checkpoint does not match the chain (seq %, n %)', NEW.last_seq, NEW.n
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_guard();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
-- The one way to remove audit rows: the prefix the newest checkpoint covers. SECURITY DEFINER, so a deployment can
-- REVOKE DELETE ON audit_log from the app's role and GRANT EXECUTE on this function only.
CREATE OR REPLACE FUNCTION audit_prune(p_checkpoint bigint) RETURNS bigint AS $$
DECLARE
  removed bigint;
BEGIN
  PERFORM set_config('anxin.audit_prune', p_checkpoint::text, true);
  DELETE FROM audit_log WHERE seq <= (SELECT c.last_seq FROM audit_checkpoint c WHERE c.seq = p_checkpoint);
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('anxin.audit_prune', '', true);
  RETURN removed;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public;
