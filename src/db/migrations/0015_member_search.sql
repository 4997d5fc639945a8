-- Member search under row-level security. The policies' quals run before any operator that is not
-- leakproof, so `name LIKE '王%'` could never use `members_name`: every search read the caller's whole
-- subtree. The list now reads the members of each organisation in scope by (county, org, name) and
-- matches the name with `^@` (starts_with, leakproof): an index range per organisation, so a search
-- reads its matches. This index also serves every lookup by organisation, which `members_org` did;
-- `members_name` (county, name) served only the old search. One index in place of two also makes
-- imports cheaper.
CREATE INDEX members_org_name ON members (county_id, org_id, name text_pattern_ops);
DROP INDEX members_org;
DROP INDEX members_name;
