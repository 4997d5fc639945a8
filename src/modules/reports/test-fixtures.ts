import JSZip from 'jszip';
import { sql } from 'kysely';
import { makeCounty, makeHousehold, makeMember, makeOrg, makeTownship } from '../../../test/factories.ts';
import type { Database } from '../../db/database.ts';
import { countyToday } from '../plans/clock.ts';

/**
 * A small county with known records for the bulletin and the assessment (test-only): two townships,
 * a county department's branch with three leaders, and a year Y of pairings, visits, outcomes, a
 * plan's mid-year checks, a check with two rectifications and two sign-offs. Y is this year once
 * its first half is over, else last year, so the first half always lies in the past.
 *
 * As of 30 June of Y:
 *   p1 领导联点 county leader 李建国 → 甲镇东山村: 3 of 3 visits due (on track)
 *   p2 领导联点 section leader 王志远 → 乙镇东山村: 2 of 6 due (behind)
 *   p3 支部联建 县财政局党支部 → 甲镇西坪村: 1 of 2 due (behind); checked 10 May, 'problems'
 *   p4 党员联帮 赵志强 → needy member 孙秀英 (甲镇东山村); p5 → household 王大明
 *   p6 领导联点 陈晓东 → 乙镇西坪村, from 1 July (not in the first half)
 */
export const today = countyToday();
const thisYear = Number(today.slice(0, 4));
export const Y = today >= `${thisYear}-07-01` ? thisYear : thisYear - 1;

export async function bulletinCounty(database: Database, code: string, name = '通报县') {
  const db = database.db;
  const t = await makeCounty(db, { code, name });
  const a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
  const b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
  const agency = await makeOrg(t.ctx, {
    parentId: t.rootOrg.id,
    name: '中共县财政局机关支部委员会',
    shortName: '县财政局党支部',
    sector: 'agency',
  });
  const leader = await makeMember(t.ctx, {
    orgId: agency.id,
    name: '李建国',
    leaderRank: 'county',
    leaderUnit: '县财政局',
  });
  const section = await makeMember(t.ctx, {
    orgId: agency.id,
    name: '王志远',
    leaderRank: 'section',
    leaderUnit: '县财政局',
  });
  const late = await makeMember(t.ctx, {
    orgId: agency.id,
    name: '陈晓东',
    leaderRank: 'section',
    leaderUnit: '县财政局',
  });
  const a0 = a.villages[0]!.branch;
  const a1 = a.villages[1]!.branch;
  const b0 = b.villages[0]!.branch;
  const b1 = b.villages[1]!.branch;
  const helper = await makeMember(t.ctx, { orgId: a0.id, name: '赵志强' });
  const needy = await makeMember(t.ctx, { orgId: a0.id, name: '孙秀英', isNeedy: true });
  const household = await makeHousehold(t.ctx, {
    villageId: a.villages[0]!.village.id,
    headName: '王大明',
    category: 'poor',
  });
  const county = t.county.id;

  const pairing = async (values: Record<string, unknown>) =>
    (
      await db
        .insertInto('pairings')
        .values({
          county_id: county,
          year_from: Y,
          year_to: Y,
          started_on: `${Y}-01-01`,
          ...values,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const p1 = await pairing({
    kind: 'leader_contact',
    helper_member_id: leader.id,
    helper_org_id: agency.id,
    helped_org_id: a0.id,
    title: '李建国联系东山村党支部',
  });
  const p2 = await pairing({
    kind: 'leader_contact',
    helper_member_id: section.id,
    helper_org_id: agency.id,
    helped_org_id: b0.id,
    title: '王志远联系东山村党支部',
  });
  const p3 = await pairing({
    kind: 'branch_cobuild',
    helper_org_id: agency.id,
    helped_org_id: a1.id,
    title: '县财政局党支部与西坪村党支部联建',
  });
  const assist = {
    kind: 'member_assist',
    helper_member_id: helper.id,
    helper_org_id: a0.id,
    helped_org_id: a0.id,
  };
  const p4 = await pairing({ ...assist, helped_member_id: needy.id, title: '赵志强帮扶孙秀英' });
  const p5 = await pairing({ ...assist, helped_household_id: household.id, title: '赵志强帮扶王大明户' });
  const p6 = await pairing({
    kind: 'leader_contact',
    helper_member_id: late.id,
    helper_org_id: agency.id,
    helped_org_id: b1.id,
    started_on: `${Y}-07-01`,
    title: '陈晓东联系西坪村党支部',
  });

  const visit = async (
    on: string,
    kind: string,
    pairings: number[],
    outcomes: { unit: string; amount: number }[] = [],
  ) => {
    const { id } = await db
      .insertInto('visits')
      .values({ county_id: county, visited_on: on, kind, content: `${kind}活动` } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('visit_pairings')
      .values(pairings.map((p) => ({ county_id: county, visit_id: id, pairing_id: p })))
      .execute();
    if (outcomes.length)
      await db
        .insertInto('visit_outcomes')
        .values(
          outcomes.map((o) => ({
            county_id: county,
            visit_id: id,
            unit: o.unit,
            amount: o.amount,
            note: null,
          })),
        )
        .execute();
    return id;
  };
  await visit(
    `${Y}-02-10`,
    'on_site_work',
    [p1],
    [
      { unit: 'yuan', amount: 30000 },
      { unit: 'projects', amount: 1 },
    ],
  );
  await visit(`${Y}-04-12`, 'on_site_work', [p1, p3], [{ unit: 'person_times', amount: 20 }]);
  await visit(`${Y}-06-20`, 'on_site_work', [p1]);
  await visit(`${Y}-03-05`, 'on_site_work', [p2]);
  await visit(`${Y}-05-15`, 'on_site_work', [p2]);
  await visit(`${Y}-05-20`, 'daily_help', [p4], [{ unit: 'yuan', amount: 2000 }]);
  // The second half: none of these is in the first half's figures.
  await visit(`${Y}-07-20`, 'on_site_work', [p1], [{ unit: 'yuan', amount: 99999 }]);
  await visit(`${Y}-08-02`, 'on_site_work', [p6]);

  // p1's plan, in force, with two tasks checked mid-year (the later check of a task is its standing).
  const plan = await db
    .insertInto('plans')
    .values({
      county_id: county,
      pairing_id: p1,
      year: Y,
      title: '联点工作方案',
      content: '建班子、抓产业',
      status: 'in_force',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const task = async (seq: number) =>
    (
      await db
        .insertInto('plan_tasks')
        .values({ county_id: county, plan_id: plan.id, seq, what: `任务${seq}` })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const t1 = await task(1);
  const t2 = await task(2);
  await db
    .insertInto('task_checks')
    .values([
      { county_id: county, task_id: t2, status: 'not_started', checked_at: `${Y}-03-01T10:00:00+08:00` },
      { county_id: county, task_id: t1, status: 'done', checked_at: `${Y}-06-10T10:00:00+08:00` },
      { county_id: county, task_id: t2, status: 'in_progress', checked_at: `${Y}-06-10T10:00:00+08:00` },
    ])
    .execute();
  // The notice of p1's plan, with two pieces of feedback, one answered.
  const notice = await db
    .insertInto('notices')
    .values({
      county_id: county,
      plan_id: plan.id,
      org_id: a0.id,
      title: '联点工作方案公示',
      body: JSON.stringify({}),
      starts_on: `${Y}-04-25`,
      ends_on: `${Y}-04-30`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('notice_feedback')
    .values([
      {
        county_id: county,
        notice_id: notice.id,
        content: '希望多来村里',
        created_at: `${Y}-04-26T10:00:00+08:00`,
        answer: '已采纳',
        answered_at: new Date(`${Y}-04-28T10:00:00+08:00`),
      },
      {
        county_id: county,
        notice_id: notice.id,
        content: '建议修路',
        created_at: `${Y}-04-27T10:00:00+08:00`,
      },
    ])
    .execute();

  // 督查 of p3 on 10 May: one problem still open past its due date, one closed in time.
  const check = await db
    .insertInto('inspections')
    .values({
      county_id: county,
      pairing_id: p3,
      org_id: agency.id,
      status: 'done',
      method: 'on_site',
      checked_on: `${Y}-05-10`,
      checked_by_name: '督查组',
      conclusion: 'problems',
      findings: '联建活动记录不全',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('rectifications')
    .values([
      {
        county_id: county,
        inspection_id: check.id,
        problem: '活动记录不完整，孙秀英的帮扶台账缺失',
        owner_org_id: a1.id,
        owner_name: '周明',
        due_on: `${Y}-06-15`,
      },
      {
        county_id: county,
        inspection_id: check.id,
        problem: '季度联席会未按时召开',
        owner_org_id: agency.id,
        due_on: `${Y}-06-20`,
        status: 'closed',
        evidence: '已于6月1日召开联席会',
        closed_on: `${Y}-06-01`,
      },
    ])
    .execute();

  // p4's year-end sign-off (for the assessment's sign-off indicator).
  await db
    .insertInto('signoffs')
    .values([
      {
        county_id: county,
        pairing_id: p4,
        year: Y,
        party: 'helped',
        opinion: 'satisfied',
        recorded_at: `${Y}-06-25T10:00:00+08:00`,
      },
      {
        county_id: county,
        pairing_id: p4,
        year: Y,
        party: 'helped_branch',
        opinion: 'basically_satisfied',
        recorded_at: `${Y}-06-25T11:00:00+08:00`,
      },
    ] as never)
    .execute();

  return {
    ...t,
    a,
    b,
    agency,
    members: { leader, section, late, helper, needy },
    household,
    orgs: { a0, a1, b0, b1 },
    pairings: { p1, p2, p3, p4, p5, p6 },
  };
}

export type BulletinCounty = Awaited<ReturnType<typeof bulletinCounty>>;

/** The paragraphs and table rows of a .docx, as text. */
export async function readDocx(buffer: Buffer | Uint8Array) {
  const zip = await JSZip.loadAsync(buffer);
  const file = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  const xml = await file('word/document.xml');
  const text = (fragment: string) =>
    [...fragment.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => xmlText(m[1]!)).join('');
  const body = xml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '');
  const paragraphs = [...body.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => text(m[0]));
  const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((t) =>
    [...t[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((r) =>
      [...r[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => text(c[0])),
    ),
  );
  return {
    xml,
    paragraphs,
    tables,
    text: paragraphs.join('\n'),
    styles: await file('word/styles.xml'),
    fontTable: await file('word/fontTable.xml'),
    footers: [await file('word/footer1.xml'), await file('word/footer2.xml')].join('\n'),
    settings: await file('word/settings.xml'),
  };
}

const xmlText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Figures of the first half of Y straight from SQL, to check the document against. */
export async function firstHalfFigures(database: Database, countyId: number, underPath?: string) {
  const from = `${Y}-01-01`;
  const to = `${Y}-06-30`;
  const scope = underPath
    ? sql`AND EXISTS (SELECT 1 FROM orgs o WHERE o.county_id = p.county_id AND o.id IN (p.helper_org_id, p.helped_org_id) AND o.path <@ ${underPath}::ltree)`
    : sql``;
  const half = sql`p.county_id = ${countyId} AND p.year_from <= ${Y} AND p.year_to >= ${Y}
    AND p.started_on <= ${to} AND (p.ended_on IS NULL OR p.ended_on >= ${from}) ${scope}`;
  const one = async (q: ReturnType<typeof sql<{ n: string | number | null }>>) =>
    Number((await q.execute(database.db)).rows[0]!.n ?? 0);
  return {
    leaders: await one(
      sql<{
        n: number;
      }>`SELECT count(DISTINCT p.helper_member_id) AS n FROM pairings p WHERE ${half} AND p.kind = 'leader_contact'`,
    ),
    ruralBranches: await one(sql<{ n: number }>`
      SELECT count(DISTINCT p.helped_org_id) AS n FROM pairings p JOIN orgs o ON o.county_id = p.county_id AND o.id = p.helped_org_id
      WHERE ${half} AND p.kind = 'leader_contact' AND o.sector = 'rural'`),
    cobuildBranches: await one(sql<{ n: number }>`
      SELECT count(DISTINCT x) AS n FROM pairings p, unnest(ARRAY[p.helper_org_id, p.helped_org_id]) x
      WHERE ${half} AND p.kind = 'branch_cobuild'`),
    assistMembers: await one(
      sql<{
        n: number;
      }>`SELECT count(DISTINCT p.helper_member_id) AS n FROM pairings p WHERE ${half} AND p.kind = 'member_assist'`,
    ),
    visits: await one(sql<{ n: number }>`
      SELECT count(DISTINCT v.id) AS n FROM visits v
      JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
      JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
      WHERE ${half} AND v.visited_on BETWEEN ${from} AND ${to}`),
    yuan: await one(sql<{ n: string }>`
      SELECT sum(o.amount) AS n FROM visit_outcomes o WHERE o.county_id = ${countyId} AND o.unit = 'yuan'
        AND o.visit_id IN (SELECT v.id FROM visits v
          JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
          JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
          WHERE ${half} AND v.visited_on BETWEEN ${from} AND ${to})`),
    /** Pairings and distinct visits of the pairings whose helped side lies under a township committee. */
    township: async (committeePath: string) => ({
      pairings: await one(sql<{ n: number }>`
        SELECT count(*) AS n FROM pairings p JOIN orgs o ON o.county_id = p.county_id AND o.id = p.helped_org_id
        WHERE ${half} AND o.path <@ ${committeePath}::ltree`),
      visits: await one(sql<{ n: number }>`
        SELECT count(DISTINCT v.id) AS n FROM visits v
        JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
        JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
        JOIN orgs o ON o.county_id = p.county_id AND o.id = p.helped_org_id
        WHERE ${half} AND o.path <@ ${committeePath}::ltree AND v.visited_on BETWEEN ${from} AND ${to}`),
    }),
  };
}
