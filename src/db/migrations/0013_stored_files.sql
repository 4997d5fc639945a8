-- Files kept in the database: visit photos (re-encoded JPEGs) and finished ledger exports.
--
-- They used to live under the data directory, which a database backup does not hold and which a
-- second platform process on the same server database does not see. Here every process reads the
-- same bytes and pg_dump carries them. Photos already in a data directory are moved in at startup
-- (src/modules/files/move-in.ts), keeping their random names as ids.

CREATE TABLE stored_files (
  county_id bigint NOT NULL REFERENCES counties (id),
  -- Random (128 bits, hex): an export's id is also its download token.
  id text NOT NULL CHECK (id ~ '^[0-9a-f]{32}$'),
  purpose text NOT NULL CHECK (purpose IN ('visit_photo', 'ledger_export')),
  -- A photo belongs to its visit (and goes with it); an export to the user it was made for.
  visit_id bigint,
  owner_user_id bigint,
  file_name text,
  content_type text NOT NULL,
  size int NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea NOT NULL,
  -- What the export job showed (ledger, filter, rows), so any process can tell its status.
  meta jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  PRIMARY KEY (county_id, id),
  FOREIGN KEY (county_id, visit_id) REFERENCES visits (county_id, id) ON DELETE CASCADE,
  CHECK (size = octet_length(content)),
  CHECK (purpose <> 'visit_photo' OR visit_id IS NOT NULL),
  CHECK (purpose <> 'ledger_export' OR (owner_user_id IS NOT NULL AND expires_at IS NOT NULL))
);
-- JPEG and xlsx are compressed already: kept out of line without another compression attempt.
ALTER TABLE stored_files ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX stored_files_visit ON stored_files (county_id, visit_id) WHERE visit_id IS NOT NULL;
CREATE INDEX stored_files_expiry ON stored_files (expires_at) WHERE expires_at IS NOT NULL;
-- A photo row finds its file by its stored name.
CREATE INDEX visit_photos_stored_name ON visit_photos (county_id, stored_name);

-- The user a transaction acts for, where a row is one user's own (an export). Unset → no rows.
CREATE OR REPLACE FUNCTION app_user_id() RETURNS bigint LANGUAGE sql STABLE AS
  $$ SELECT nullif(current_setting('app.user_id', true), '')::bigint $$;

-- As the records they belong to: a photo is seen by whoever sees its visit (as visit_photos), an
-- export only by its own user. Forced, so that the table's owner is held to it as well.
ALTER TABLE stored_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE stored_files FORCE ROW LEVEL SECURITY;
CREATE POLICY stored_photos_in_scope ON stored_files USING (
  county_id = app_county() AND purpose = 'visit_photo' AND EXISTS (
    SELECT 1 FROM visits v WHERE v.county_id = stored_files.county_id AND v.id = stored_files.visit_id))
  WITH CHECK (county_id = app_county() AND purpose = 'visit_photo');
CREATE POLICY stored_exports_own ON stored_files USING (
  county_id = app_county() AND purpose = 'ledger_export' AND owner_user_id = app_user_id())
  WITH CHECK (county_id = app_county() AND purpose = 'ledger_export' AND owner_user_id = app_user_id());

DO $$
BEGIN
  EXECUTE format('GRANT SELECT, INSERT, DELETE ON stored_files TO %I', 'gongjian_app_' || current_database());
END $$;
