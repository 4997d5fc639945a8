-- The audit trail as a hash chain, one chain per county (county_id leads every key so a county's
-- rows live on one shard, docs/SCALE.md; a global chain would serialise every county's writes).
-- Each record stores its place in its county's chain (chain_seq = 1, 2, 3, …) and
--   hash = sha256(previous record's hash || audit_row_bytes(this record)),
-- the first record of a county chaining from the empty string. The trigger refuses changes, but
-- the table owner can disable it; an edited, removed or slipped-in record then no longer matches
-- the chain, which `gongjian audit verify` and GET /api/audit/verify walk (docs/SECURITY.md).

ALTER TABLE audit_log ADD COLUMN chain_seq bigint, ADD COLUMN hash bytea;

-- The canonical bytes of a record: every field but the hash, as a JSON array (unambiguous for NULLs
-- and any text), the time as microseconds since the epoch (independent of the session's time zone),
-- details as jsonb prints itself (keys in a fixed order). The verifier hashes these same bytes.
CREATE FUNCTION audit_row_bytes(r audit_log) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT convert_to(jsonb_build_array(
    r.county_id, r.chain_seq, r.id, (extract(epoch FROM r.at) * 1000000)::bigint, r.user_id, r.username,
    r.action, r.target_type, r.target_id, r.result, r.ip, r.details)::text, 'UTF8')
$$;

-- Chains the new record onto the county's last. The advisory lock (per county) makes concurrent
-- inserts take turns: a transaction waiting for it reads, once it has it, the record the other
-- committed (read committed: each statement of the function sees what is committed by then). Runs
-- as the inserting role, which always sees its own county's records (row-level security).
-- Whatever chain_seq and hash an INSERT names are overwritten.
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  prev_seq bigint;
  prev_hash bytea;
BEGIN
  PERFORM pg_advisory_xact_lock(4242011, NEW.county_id::int);
  SELECT chain_seq, hash INTO prev_seq, prev_hash
    FROM audit_log WHERE county_id = NEW.county_id
   ORDER BY chain_seq DESC LIMIT 1;
  NEW.chain_seq := coalesce(prev_seq, 0) + 1;
  NEW.hash := sha256(coalesce(prev_hash, ''::bytea) || audit_row_bytes(NEW));
  RETURN NEW;
END $$;

-- The records already written are chained in their county, in the order they were written (id).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
UPDATE audit_log a SET chain_seq = o.seq
  FROM (SELECT county_id, id, row_number() OVER (PARTITION BY county_id ORDER BY id) AS seq FROM audit_log) o
 WHERE a.county_id = o.county_id AND a.id = o.id;
DO $$
DECLARE
  r record;
  prev bytea;
  county bigint;
BEGIN
  FOR r IN SELECT county_id, id FROM audit_log ORDER BY county_id, chain_seq LOOP
    IF county IS DISTINCT FROM r.county_id THEN
      county := r.county_id;
      prev := ''::bytea;
    END IF;
    UPDATE audit_log a SET hash = sha256(prev || audit_row_bytes(a))
     WHERE a.county_id = r.county_id AND a.id = r.id
    RETURNING a.hash INTO prev;
  END LOOP;
END $$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;

ALTER TABLE audit_log ALTER COLUMN chain_seq SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_chain ON audit_log (county_id, chain_seq);

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- No grant changes: the application role keeps SELECT and INSERT on audit_log (migration 0002),
-- which is all the trigger and the verification need; both functions run as the caller.
