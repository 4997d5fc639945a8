-- Province roll-ups in well under a second (docs/PERFORMANCE.md, "Compliance at province scale"):
-- reading pairing_visit_counts for 100 counties still aggregates ~9 M rows (3.6 s); a summary per
-- county × year × month × pairing kind × visit kind, kept by the same trigger in the same
-- transaction, is tens of thousands of rows.
CREATE TABLE county_visit_counts (
  county_id bigint NOT NULL,
  year int NOT NULL,
  month int NOT NULL CHECK (month BETWEEN 1 AND 12),
  pairing_kind text NOT NULL,
  visit_kind text NOT NULL,
  visits bigint NOT NULL,
  PRIMARY KEY (county_id, year, month, pairing_kind, visit_kind)
);

INSERT INTO county_visit_counts (county_id, year, month, pairing_kind, visit_kind, visits)
SELECT c.county_id, c.year, c.month, p.kind, c.kind, sum(c.visits)
FROM pairing_visit_counts c JOIN pairings p ON p.county_id = c.county_id AND p.id = c.pairing_id
GROUP BY 1, 2, 3, 4, 5;

-- The kind of a pairing, read past row-level security (the trigger may run for a user who sees the
-- pairing only through one of its sides; the kind is no secret).
CREATE FUNCTION pairing_kind(c bigint, p bigint) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT kind FROM pairings WHERE county_id = c AND id = p $$;

CREATE OR REPLACE FUNCTION bump_pairing_count(c bigint, p bigint, d date, k text, delta int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO pairing_visit_counts AS x (county_id, pairing_id, year, month, kind, visits)
  VALUES (c, p, extract(year FROM d)::int, extract(month FROM d)::int, k, delta)
  ON CONFLICT (county_id, pairing_id, year, month, kind) DO UPDATE SET visits = x.visits + excluded.visits;
  INSERT INTO county_visit_counts AS y (county_id, year, month, pairing_kind, visit_kind, visits)
  SELECT c, extract(year FROM d)::int, extract(month FROM d)::int, pairing_kind(c, p), k, delta
  ON CONFLICT (county_id, year, month, pairing_kind, visit_kind) DO UPDATE SET visits = y.visits + excluded.visits;
$$;

ALTER TABLE county_visit_counts ENABLE ROW LEVEL SECURITY;
-- County-level totals, no personal data: the whole county may read them; writes come from the trigger.
CREATE POLICY county_visit_counts_in_county ON county_visit_counts USING (county_id = app_county()) WITH CHECK (county_id = app_county());
