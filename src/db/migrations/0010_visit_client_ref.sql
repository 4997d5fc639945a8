-- A visit logged on a phone with a weak signal may be sent twice: the request arrives, the answer
-- is lost, and the phone sends its kept draft again. The draft carries its own reference, and the
-- same user's second send of the same reference returns the visit already saved instead of a copy.
ALTER TABLE visits ADD COLUMN client_ref text CHECK (client_ref ~ '^[A-Za-z0-9-]{8,64}$');
CREATE UNIQUE INDEX visits_client_ref ON visits (county_id, created_by, client_ref) WHERE client_ref IS NOT NULL;
