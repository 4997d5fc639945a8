-- 督查: a county-level check round is also seen by whoever sees one of its checks, so the township
-- staff assigned items of the county's round see its title, due date and their share of its
-- progress (counted over the checks they see). Policies are permissive: this widens 0007's, which
-- shows a round to its organisation's subtree. The inspections policy does not read rounds, so the
-- two do not recurse.
CREATE POLICY inspection_rounds_with_checks ON inspection_rounds USING (
  county_id = app_county() AND EXISTS (
    SELECT 1 FROM inspections i WHERE i.county_id = inspection_rounds.county_id AND i.round_id = inspection_rounds.id));
