import {
  effectiveRule,
  PAIRING_KINDS,
  type PairingKindCode,
  type VisitKind,
} from '../src/domain/pairings.ts';

/**
 * The SQL of the province benchmark (bench/province.ts): the set-based generator, the questions asked
 * of the counts and of the raw visits, and the proposed county summary. Every id is a function of
 * the county and a local number, so the generator needs no look-ups and a rerun makes the same data:
 *
 *   county c (1…C) · org c·1000 + l · member c·10 000 + j · pairing c·1 000 000 + k · visit c·10 000 000 + j
 *
 * Random choices come from `bench.u(x, salt)`, a hash of the id (deterministic, no `random()`).
 */

export interface Shape {
  counties: number;
  pairingsPerCounty: number;
  visitsPerCounty: number;
  /** Members per county (the first 200 are leaders, the last 100 are needy). */
  membersPerCounty: number;
  year: number;
  /** Today, ISO: visits are dated from 1 January up to this day. */
  today: string;
}

export const TOWNSHIPS = 15;
export const BRANCHES_PER_TOWNSHIP = 10;
const BRANCHES = TOWNSHIPS * BRANCHES_PER_TOWNSHIP;
/** Org locals: 0 the county committee, 1…15 township committees, 16…165 branches. */
const FIRST_BRANCH = 1 + TOWNSHIPS;
export const COUNTY_LEADERS = 50;
export const LEADERS = 200;
export const NEEDY = 100;

/** The pairing kind of local pairing k is SLOTS[k % 10]: 10 % leader contact, 20 % branch co-building… */
export const SLOTS: readonly PairingKindCode[] = [
  'leader_contact',
  'branch_cobuild',
  'branch_cobuild',
  'member_assist',
  'member_assist',
  'member_assist',
  'member_assist',
  'two_officers',
  'urban_rural',
  'village_village',
];
/** Slots whose kind asks for no visits: a tenth of their visits go to the leader contact point of their decade. */
const NO_QUOTA_SLOTS = SLOTS.flatMap((k, i) => (effectiveRule(k).visitsPerYear === 0 ? [i] : []));

/** The kinds of a pairing kind's visits, 20 weighted entries each (a hash picks one). */
const VISIT_MIX: Record<string, readonly [VisitKind, number][]> = {
  leader_contact: [
    ['on_site_work', 14],
    ['survey', 3],
    ['training', 3],
  ],
  branch_cobuild: [
    ['on_site_work', 6],
    ['collective_day', 6],
    ['joint_meeting', 3],
    ['cross_learning', 1],
    ['mutual_inspection', 1],
    ['daily_help', 3],
  ],
  two_officers: [
    ['on_site_work', 12],
    ['survey', 4],
    ['training', 4],
  ],
  member_assist: [
    ['on_site_work', 4],
    ['meet_family', 4],
    ['daily_help', 4],
    ['four_visits', 3],
    ['donation', 2],
    ['training', 2],
    ['project', 1],
  ],
  other: [
    ['on_site_work', 4],
    ['collective_day', 4],
    ['project', 4],
    ['training', 4],
    ['donation', 2],
    ['survey', 2],
  ],
};

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arrayOf = (mix: readonly [VisitKind, number][]) => {
  const items = mix.flatMap(([k, n]) => Array<string>(n).fill(lit(k)));
  if (items.length !== 20) throw new Error('a visit mix must have 20 entries');
  return `ARRAY[${items.join(', ')}]`;
};

/** (pairing kind, visit kind) pairs: which visits count towards each kind's quota (the built-in rules). */
export function countedPairs(): { pairingKinds: string[]; visitKinds: string[] } {
  const pairingKinds: string[] = [];
  const visitKinds: string[] = [];
  for (const def of PAIRING_KINDS) {
    for (const v of effectiveRule(def.code).countsVisitKinds) {
      pairingKinds.push(def.code);
      visitKinds.push(v);
    }
  }
  return { pairingKinds, visitKinds };
}

/** Functions the generator uses, in a schema of the throwaway database. */
export const setupSql = `
CREATE SCHEMA bench;
-- A uniform number in [0, 1) from an id and a salt.
CREATE FUNCTION bench.u(x bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT (hashint8extended(x, salt) & 9007199254740991)::float8 / 9007199254740992.0 $$;
-- The org a member belongs to: county-level leaders at the county committee, section-level ones at a
-- township committee, everyone else at a branch.
CREATE FUNCTION bench.member_org(c bigint, j int) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
  $$ SELECT c * 1000 + CASE WHEN j < ${COUNTY_LEADERS} THEN 0 WHEN j < ${LEADERS} THEN 1 + j % ${TOWNSHIPS}
                            ELSE ${FIRST_BRANCH} + j % ${BRANCHES} END $$;
`;

export function countiesSql(s: Shape): string {
  return `INSERT INTO counties (id, code, name)
SELECT c, 'P' || lpad(c::text, 3, '0'), '基准县' || c FROM generate_series(1, ${s.counties}) c`;
}

export function orgsSql(s: Shape): string {
  return `INSERT INTO orgs (county_id, id, parent_id, name, kind, sector, path)
SELECT c, c * 1000 + l,
  CASE WHEN l = 0 THEN NULL WHEN l <= ${TOWNSHIPS} THEN c * 1000
       ELSE c * 1000 + 1 + (l - ${FIRST_BRANCH}) / ${BRANCHES_PER_TOWNSHIP} END,
  CASE WHEN l = 0 THEN '中共基准县' || c || '委员会' WHEN l <= ${TOWNSHIPS} THEN '第' || l || '乡党委'
       ELSE '第' || (1 + (l - ${FIRST_BRANCH}) / ${BRANCHES_PER_TOWNSHIP}) || '乡第' || (1 + (l - ${FIRST_BRANCH}) % ${BRANCHES_PER_TOWNSHIP}) || '支部' END,
  CASE WHEN l <= ${TOWNSHIPS} THEN 'party_committee' ELSE 'branch' END,
  CASE WHEN l = 0 THEN 'agency' WHEN l <= ${TOWNSHIPS} THEN 'rural'
       ELSE (ARRAY['rural','rural','rural','rural','rural','rural','community','community','private_enterprise','state_enterprise'])[1 + (l - ${FIRST_BRANCH}) % 10] END,
  (CASE WHEN l = 0 THEN (c * 1000)::text
        WHEN l <= ${TOWNSHIPS} THEN (c * 1000) || '.' || (c * 1000 + l)
        ELSE (c * 1000) || '.' || (c * 1000 + 1 + (l - ${FIRST_BRANCH}) / ${BRANCHES_PER_TOWNSHIP}) || '.' || (c * 1000 + l) END)::ltree
FROM generate_series(1, ${s.counties}) c, generate_series(0, ${TOWNSHIPS + BRANCHES}) l`;
}

export function membersSql(s: Shape): string {
  const m = s.membersPerCounty;
  return `INSERT INTO members (county_id, id, org_id, name, gender, birth_date, id_number, is_needy, leader_rank, leader_unit)
SELECT c, c * 10000 + j, bench.member_org(c, j), '党员' || (c * 10000 + j),
  CASE WHEN j % 2 = 0 THEN 'male' ELSE 'female' END,
  date '1960-01-01' + (j * 11) % 15000,
  lpad((c * 10000 + j)::text, 18, '0'),
  j >= ${m - NEEDY},
  CASE WHEN j < ${COUNTY_LEADERS} THEN 'county' WHEN j < ${LEADERS} THEN 'section' END,
  CASE WHEN j < ${LEADERS} THEN '县直单位' END
FROM generate_series(1, ${s.counties}) c, generate_series(0, ${m - 1}) j`;
}

/**
 * Pairings of counties c1…c2. A quarter started last year, a tenth started during this year, the rest
 * on 1 January; 3 % ended during this year. All run in the current year.
 */
export function pairingsSql(s: Shape, c1: number, c2: number): string {
  const jan1 = `date '${s.year}-01-01'`;
  const today = `date '${s.today}'`;
  const slot = 'k % 10';
  const branch = (salt: number) =>
    `c * 1000 + ${FIRST_BRANCH} + floor(bench.u(pid, ${salt}) * ${BRANCHES})::int`;
  const plainMember = (salt: number) =>
    `${LEADERS} + floor(bench.u(pid, ${salt}) * ${s.membersPerCounty - LEADERS - NEEDY})::int`;
  const needyMember = `${s.membersPerCounty - NEEDY} + floor(bench.u(pid, 6) * ${NEEDY})::int`;
  const leader = `(k / 10) % ${LEADERS}`;
  const enterpriseBranch = `c * 1000 + ${FIRST_BRANCH} + 10 * floor(bench.u(pid, 5) * ${TOWNSHIPS})::int + 8 + (k / 10) % 2`;
  return `INSERT INTO pairings (county_id, id, kind, year_from, year_to, started_on, ended_on,
  helper_member_id, helper_org_id, helped_org_id, helped_member_id, title)
SELECT c, pid, kind, extract(year FROM started_on)::int, ${s.year}, started_on, ended_on,
  helper_member_id, helper_org_id, helped_org_id, helped_member_id, kind || ' #' || pid
FROM (
  SELECT c, pid, k, kind, started_on,
    CASE WHEN bench.u(pid, 3) < 0.03
      THEN greatest(started_on, ${jan1}) + floor(bench.u(pid, 4) * (${today} - greatest(started_on, ${jan1})))::int END AS ended_on,
    CASE kind WHEN 'leader_contact' THEN c * 10000 + ${leader}
              WHEN 'member_assist' THEN c * 10000 + ${plainMember(5)}
              WHEN 'two_officers' THEN c * 10000 + ${plainMember(5)} END AS helper_member_id,
    CASE kind WHEN 'leader_contact' THEN bench.member_org(c, ${leader})
              WHEN 'member_assist' THEN bench.member_org(c, ${plainMember(5)})
              WHEN 'two_officers' THEN bench.member_org(c, ${plainMember(5)})
              ELSE ${branch(5)} END AS helper_org_id,
    CASE kind WHEN 'member_assist' THEN bench.member_org(c, ${needyMember})
              WHEN 'two_officers' THEN ${enterpriseBranch}
              WHEN 'leader_contact' THEN ${branch(6)}
              ELSE c * 1000 + ${FIRST_BRANCH} + (floor(bench.u(pid, 5) * ${BRANCHES})::int + 1 + floor(bench.u(pid, 6) * ${BRANCHES - 1})::int) % ${BRANCHES} END AS helped_org_id,
    CASE kind WHEN 'member_assist' THEN c * 10000 + ${needyMember} END AS helped_member_id
  FROM (
    SELECT c, k, c::bigint * 1000000 + k AS pid,
      (ARRAY[${SLOTS.map(lit).join(', ')}])[1 + ${slot}] AS kind,
      CASE WHEN bench.u(c::bigint * 1000000 + k, 1) < 0.25
             THEN ${jan1} - 1 - floor(bench.u(c::bigint * 1000000 + k, 2) * 300)::int
           WHEN bench.u(c::bigint * 1000000 + k, 1) < 0.35
             THEN ${jan1} + floor(bench.u(c::bigint * 1000000 + k, 2) * (${today} - ${jan1}))::int
           ELSE ${jan1} END AS started_on
    FROM generate_series(${c1}, ${c2}) c, generate_series(0, ${s.pairingsPerCounty - 1}) k
  ) a
) b`;
}

/**
 * The pairing a generated visit belongs to, as SQL over `vid` and `c`: a hash picks a local pairing;
 * a tenth of the visits drawn for a kind without a quota go to the leader contact point of that decade,
 * so leaders' points get ~16 visits a year and the other pairings ~9–10.
 */
function visitPairingExpr(s: Shape): string {
  const k0 = `floor(bench.u(vid, 11) * ${s.pairingsPerCounty})::int`;
  return `c::bigint * 1000000 + CASE WHEN (${k0}) % 10 IN (${NO_QUOTA_SLOTS.join(', ')}) AND bench.u(vid, 12) < 0.1
    THEN (${k0}) - (${k0}) % 10 ELSE ${k0} END`;
}

function generatedVisits(s: Shape, c1: number, c2: number): string {
  return `SELECT c, vid, ${visitPairingExpr(s)} AS pid FROM (
    SELECT c, c::bigint * 10000000 + j AS vid
    FROM generate_series(${c1}, ${c2}) c, generate_series(0, ${s.visitsPerCounty - 1}) j
  ) gv`;
}

/** Visits of counties c1…c2, each dated inside its pairing's active part of the year up to today. */
export function visitsSql(s: Shape, c1: number, c2: number): string {
  const jan1 = `date '${s.year}-01-01'`;
  const today = `date '${s.today}'`;
  const mix = Object.entries(VISIT_MIX)
    .filter(([k]) => k !== 'other')
    .map(([k, m]) => `WHEN ${lit(k)} THEN ${arrayOf(m)}`)
    .join('\n      ');
  return `INSERT INTO visits (county_id, id, visited_on, kind, content)
SELECT g.c, g.vid,
  greatest(p.started_on, ${jan1})
    + floor(bench.u(g.vid, 13) * (coalesce(p.ended_on, ${today}) - greatest(p.started_on, ${jan1}) + 1))::int,
  (CASE p.kind
      ${mix}
      ELSE ${arrayOf(VISIT_MIX.other!)} END)[1 + floor(bench.u(g.vid, 14) * 20)::int],
  '到点开展工作，走访了解情况'
FROM (${generatedVisits(s, c1, c2)}) g
JOIN pairings p ON p.county_id = g.c AND p.id = g.pid`;
}

/** One link per visit, to the pairing the same hash picked. */
export function linksSql(s: Shape, c1: number, c2: number): string {
  return `INSERT INTO visit_pairings (county_id, visit_id, pairing_id)
SELECT c, vid, pid FROM (${generatedVisits(s, c1, c2)}) g`;
}

/** What the triggers would have kept, in one aggregate. */
export const buildCountsSql = `INSERT INTO pairing_visit_counts (county_id, pairing_id, year, month, kind, visits)
SELECT vp.county_id, vp.pairing_id, extract(year FROM v.visited_on)::int, extract(month FROM v.visited_on)::int, v.kind, count(*)
FROM visit_pairings vp
JOIN visits v ON v.county_id = vp.county_id AND v.id = vp.visit_id
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5`;

/** Counts kept vs a direct count, for the pairings whose id is a multiple of `every` (and those given). */
export const verifySampleSql = (every: number) => `WITH s AS (
  SELECT county_id, id FROM pairings WHERE id % ${every} = 0
  UNION SELECT * FROM unnest($1::bigint[], $2::bigint[])
),
direct AS (
  SELECT vp.county_id, vp.pairing_id, extract(year FROM v.visited_on)::int AS year,
    extract(month FROM v.visited_on)::int AS month, v.kind, count(*) AS visits
  FROM s
  JOIN visit_pairings vp ON vp.county_id = s.county_id AND vp.pairing_id = s.id
  JOIN visits v ON v.county_id = vp.county_id AND v.id = vp.visit_id
  GROUP BY 1, 2, 3, 4, 5
),
kept AS (
  SELECT c.county_id, c.pairing_id, c.year, c.month, c.kind, c.visits
  FROM s JOIN pairing_visit_counts c ON c.county_id = s.county_id AND c.pairing_id = s.id
  WHERE c.visits <> 0
)
SELECT (SELECT count(*) FROM s) AS pairings,
  count(*) AS cells,
  coalesce(sum(d.visits), 0) AS visits,
  count(*) FILTER (WHERE d.visits IS DISTINCT FROM k.visits) AS mismatches
FROM direct d FULL JOIN kept k USING (county_id, pairing_id, year, month, kind)`;

// ---------------------------------------------------------------------------------------------
// The questions
// ---------------------------------------------------------------------------------------------

/** $1 rule pairing kinds, $2 rule visit kinds: the (pairing kind, visit kind) pairs that count. */
const RULES = 'rules (pkind, vkind) AS (SELECT * FROM unnest($1::text[], $2::text[]))';

/**
 * (1) One county's dashboard from the counts: every pairing of the county running in the year with its
 * helper's rank and its month × kind counts as three arrays (one row per pairing). $1 county, $2 year.
 */
export const countyFromCountsSql = `SELECT p.id, p.kind, p.started_on, p.ended_on, p.year_to, m.leader_rank,
  c.months, c.kinds, c.visits
FROM pairings p
LEFT JOIN members m ON m.county_id = p.county_id AND m.id = p.helper_member_id
LEFT JOIN (
  SELECT pairing_id, array_agg(month) AS months, array_agg(kind) AS kinds, array_agg(visits) AS visits
  FROM pairing_visit_counts
  WHERE county_id = $1 AND year = $2 AND visits > 0
  GROUP BY pairing_id
) c ON c.pairing_id = p.id
WHERE p.county_id = $1 AND p.year_from <= $2 AND p.year_to >= $2`;

/** (1-flat) The same, one row per pairing × month × kind count (~9 per pairing). $1 county, $2 year. */
export const countyFromCountsFlatSql = `SELECT p.id, p.kind, p.started_on, p.ended_on, p.year_to, m.leader_rank,
  c.month, c.kind AS visit_kind, c.visits
FROM pairings p
LEFT JOIN members m ON m.county_id = p.county_id AND m.id = p.helper_member_id
LEFT JOIN pairing_visit_counts c
  ON c.county_id = p.county_id AND c.pairing_id = p.id AND c.year = $2 AND c.visits > 0
WHERE p.county_id = $1 AND p.year_from <= $2 AND p.year_to >= $2`;

/**
 * (2) The same county question over the raw visits: per pairing, the visits of a counted kind dated in
 * the year up to today. $1/$2 rules, $3 county, $4 year, $5 1 January, $6 today.
 */
export const countyRawSql = `WITH ${RULES},
done AS (
  SELECT vp.pairing_id, count(*) AS visits
  FROM visits v
  JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
  JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
  JOIN rules r ON r.pkind = p.kind AND r.vkind = v.kind
  WHERE v.county_id = $3 AND v.visited_on BETWEEN $5 AND $6
  GROUP BY vp.pairing_id
)
SELECT p.id, p.kind, p.started_on, p.ended_on, p.year_to, m.leader_rank, coalesce(d.visits, 0) AS done
FROM pairings p
LEFT JOIN members m ON m.county_id = p.county_id AND m.id = p.helper_member_id
LEFT JOIN done d ON d.pairing_id = p.id
WHERE p.county_id = $3 AND p.year_from <= $4 AND p.year_to >= $4`;

const PAIRINGS_PER_COUNTY_KIND = `n AS (
  SELECT county_id, kind, count(*) AS pairings FROM pairings
  WHERE year_from <= $3 AND year_to >= $3 GROUP BY county_id, kind
)`;
const ROLLUP_SELECT = `SELECT n.county_id, n.kind, n.pairings, coalesce(d.visits, 0) AS visits
FROM n LEFT JOIN done d ON d.county_id = n.county_id AND d.kind = n.kind
ORDER BY n.county_id, n.kind`;

/**
 * (3) The province roll-up from the counts: per county and pairing kind, the pairings running in the
 * year and their visits of a counted kind this year up to this month. $1/$2 rules, $3 year, $4 month.
 */
export const rollupFromCountsSql = `WITH ${RULES},
${PAIRINGS_PER_COUNTY_KIND},
done AS (
  SELECT p.county_id, p.kind, sum(c.visits) AS visits
  FROM pairing_visit_counts c
  JOIN pairings p ON p.county_id = c.county_id AND p.id = c.pairing_id
  JOIN rules r ON r.pkind = p.kind AND r.vkind = c.kind
  WHERE c.year = $3 AND c.month <= $4 AND p.year_from <= $3 AND p.year_to >= $3
  GROUP BY p.county_id, p.kind
)
${ROLLUP_SELECT}`;

/** (4) The same roll-up over the raw visits. $1/$2 rules, $3 year, $4 1 January, $5 today. */
export const rollupRawSql = `WITH ${RULES},
${PAIRINGS_PER_COUNTY_KIND},
done AS (
  SELECT p.county_id, p.kind, count(*) AS visits
  FROM visits v
  JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
  JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
  JOIN rules r ON r.pkind = p.kind AND r.vkind = v.kind
  WHERE v.visited_on BETWEEN $4 AND $5 AND p.year_from <= $3 AND p.year_to >= $3
  GROUP BY p.county_id, p.kind
)
${ROLLUP_SELECT}`;

// ---------------------------------------------------------------------------------------------
// The proposal: a county × pairing kind × month × visit kind summary kept by the same trigger
// ---------------------------------------------------------------------------------------------

/** The original counting function of migration 0003 (restored between write samples). */
export const bumpOriginalSql = `CREATE OR REPLACE FUNCTION bump_pairing_count(c bigint, p bigint, d date, k text, delta int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO pairing_visit_counts AS x (county_id, pairing_id, year, month, kind, visits)
  VALUES (c, p, extract(year FROM d)::int, extract(month FROM d)::int, k, delta)
  ON CONFLICT (county_id, pairing_id, year, month, kind) DO UPDATE SET visits = x.visits + excluded.visits
$$`;

/** The function as the proposed migration would replace it: it also bumps the county summary. */
export const bumpWithSummarySql = `CREATE OR REPLACE FUNCTION bump_pairing_count(c bigint, p bigint, d date, k text, delta int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO pairing_visit_counts AS x (county_id, pairing_id, year, month, kind, visits)
  VALUES (c, p, extract(year FROM d)::int, extract(month FROM d)::int, k, delta)
  ON CONFLICT (county_id, pairing_id, year, month, kind) DO UPDATE SET visits = x.visits + excluded.visits;
  INSERT INTO bench_county_counts AS y (county_id, pairing_kind, year, month, kind, visits)
  SELECT c, pk.kind, extract(year FROM d)::int, extract(month FROM d)::int, k, delta
  FROM pairings pk WHERE pk.county_id = c AND pk.id = p
  ON CONFLICT (county_id, pairing_kind, year, month, kind) DO UPDATE SET visits = y.visits + excluded.visits;
$$`;

/** The proposed migration (0006), as applied to the benchmark database. */
export const proposalSql = `
-- Visits per county, pairing kind, year, month and visit kind, kept by the same trigger as the pairing
-- counts (in the visit's transaction): a province roll-up reads ~60 k rows instead of joining ~9 M
-- pairing counts to 1 M pairings.
CREATE TABLE bench_county_counts (
  county_id bigint NOT NULL REFERENCES counties (id),
  pairing_kind text NOT NULL,
  year int NOT NULL,
  month int NOT NULL CHECK (month BETWEEN 1 AND 12),
  kind text NOT NULL,
  visits bigint NOT NULL,
  PRIMARY KEY (county_id, pairing_kind, year, month, kind)
);
${bumpWithSummarySql};
INSERT INTO bench_county_counts (county_id, pairing_kind, year, month, kind, visits)
SELECT c.county_id, p.kind, c.year, c.month, c.kind, sum(c.visits)
FROM pairing_visit_counts c JOIN pairings p ON p.county_id = c.county_id AND p.id = c.pairing_id
GROUP BY 1, 2, 3, 4, 5;
ALTER TABLE bench_county_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY bench_county_counts_in_county ON bench_county_counts USING (county_id = app_county());
ANALYZE bench_county_counts;
`;

/** (3b) The roll-up from the proposed summary. $1/$2 rules, $3 year, $4 month. */
export const rollupFromSummarySql = `WITH ${RULES},
${PAIRINGS_PER_COUNTY_KIND},
done AS (
  SELECT s.county_id, s.pairing_kind AS kind, sum(s.visits) AS visits
  FROM bench_county_counts s
  JOIN rules r ON r.pkind = s.pairing_kind AND r.vkind = s.kind
  WHERE s.year = $3 AND s.month <= $4
  GROUP BY s.county_id, s.pairing_kind
)
${ROLLUP_SELECT}`;

/** The summary vs the pairing counts it sums, cell by cell (0 mismatches expected). */
export const verifySummarySql = `WITH agg AS (
  SELECT c.county_id, p.kind AS pairing_kind, c.year, c.month, c.kind, sum(c.visits) AS visits
  FROM pairing_visit_counts c JOIN pairings p ON p.county_id = c.county_id AND p.id = c.pairing_id
  GROUP BY 1, 2, 3, 4, 5
)
SELECT count(*) AS cells,
  count(*) FILTER (WHERE coalesce(a.visits, 0) <> coalesce(s.visits, 0)) AS mismatches
FROM agg a FULL JOIN bench_county_counts s USING (county_id, pairing_kind, year, month, kind)`;
