import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, makeMember, makeOrg, makeTownship, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import type { Executor } from '../../db/ids.ts';
import { appRoleName } from '../../db/rls.ts';
import { OUTCOME_UNITS } from '../../domain/pairings.ts';
import { insertVisit } from '../pairings/repository.ts';
import { countyToday } from '../plans/clock.ts';
import { keysetPages } from './common.ts';
import { prepareLedger, writeLedger } from './export.ts';
import type { LedgerDefinition } from './registry.ts';
import { createLedgerWriter, excelDay } from './writer.ts';

interface Client {
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

const Y = Number(countyToday().slice(0, 4)) - 1;
/**
 * Cells a spreadsheet would read as formulas: each must come back as the same text (a CR as the
 * line break XML stores it as).
 */
const FORMULAS = [
  '=HYPERLINK("http://example.invalid","点此")',
  '+1+1',
  '-2+3',
  '@SUM(A1:A2)',
  '\t制表符开头',
  '\r回车开头',
];

/** A workbook's first sheet read back: the title, the two-line header, and the rows as cells. */
async function readBack(buffer: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(2).values as unknown[]).slice(1) as string[];
  const rows: ExcelJS.Row[] = [];
  ws.eachRow((row, n) => {
    if (n > 2) rows.push(row);
  });
  const col = (zh: string) => {
    const i = header.findIndex((h) => h.split('\n')[0] === zh);
    if (i < 0) throw new Error(`no column ${zh} in ${header.join(' | ')}`);
    return i + 1;
  };
  return { ws, title: ws.getCell(1, 1).value, header, rows, col };
}

const asStored = (s: string) => s.replace(/\r\n?/g, '\n');
const dayOf = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v);

describe('the ledger writer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongjian-ledger-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes formula-like text as text, numbers as numbers, dates as dates; drops characters XML cannot carry', async () => {
    const file = join(dir, 'w.xlsx');
    const w = await createLedgerWriter(file, {
      title: '测试台账',
      sheet: '测试/台账[1]',
      columns: [
        { key: 't', zh: '文本', en: 'Text', width: 40 },
        { key: 'n', zh: '数值', en: 'Number', type: 'number' },
        { key: 'd', zh: '日期', en: 'Date', type: 'date' },
      ],
    });
    for (const f of FORMULAS) w.addRow({ t: f, n: '12.5', d: '2026-03-01' });
    w.addRow({ t: 'a\u0001b', n: '=1+1', d: '2026-02-30x' });
    w.addRow({ t: null, n: 7, d: null });
    await w.finish();
    const { readFile } = await import('node:fs/promises');
    const { title, header, rows } = await readBack(await readFile(file));
    expect(title).toBe('测试台账');
    expect(header).toEqual(['文本\nText', '数值\nNumber', '日期\nDate']);
    expect(rows).toHaveLength(FORMULAS.length + 2);
    FORMULAS.forEach((f, i) => {
      const cell = rows[i]!.getCell(1);
      expect(cell.value).toBe(asStored(f));
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
      expect(cell.numFmt).toBe('@');
      expect(rows[i]!.getCell(2).value).toBe(12.5);
      expect(dayOf(rows[i]!.getCell(3).value)).toBe('2026-03-01');
    });
    const odd = rows[FORMULAS.length]!;
    expect(odd.getCell(1).value).toBe('ab');
    expect(odd.getCell(2).value).toBe('=1+1');
    expect(odd.getCell(2).formula).toBeUndefined();
    expect(odd.getCell(3).value).toBe('2026-02-30x');
    expect(rows[FORMULAS.length + 1]!.getCell(2).value).toBe(7);
    expect(excelDay('1900-03-01')).toBe(61);
  });
});

describe.each(dbTargets())('ledgers (台账) on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;
  const p = { a1: 0, a2: 0, b1: 0, old: 0 };
  let c: Record<'admin' | 'staffA' | 'staffA2' | 'secretary' | 'auditor', Client>;

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369970', name: '台账县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    const agency = await makeOrg(t.ctx, {
      parentId: t.rootOrg.id,
      name: '县财政局机关党支部',
      sector: 'agency',
    });
    const leader = await makeMember(t.ctx, {
      orgId: agency.id,
      name: '李建国',
      leaderRank: 'county',
      leaderUnit: '县财政局',
    });
    const people = [
      await makeMember(t.ctx, { orgId: a.villages[0]!.branch.id, name: '王大山' }),
      await makeMember(t.ctx, { orgId: b.villages[0]!.branch.id, name: '赵小河' }),
    ];
    const pairing = async (kind: string, helped: number, title: string, from = Y, to = Y) =>
      (
        await database.db
          .insertInto('pairings')
          .values({
            county_id: t.county.id,
            kind,
            year_from: from,
            year_to: to,
            started_on: `${from}-01-01`,
            helper_member_id: kind === 'leader_contact' ? leader.id : null,
            helper_org_id: agency.id,
            helped_org_id: helped,
            title,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    p.a1 = await pairing('leader_contact', a.villages[0]!.branch.id, '李建国联系甲镇东山村党支部');
    p.a2 = await pairing(
      'branch_cobuild',
      a.villages[1]!.branch.id,
      '县财政局机关党支部与甲镇西坪村党支部支部联建',
    );
    p.b1 = await pairing('leader_contact', b.villages[0]!.branch.id, '李建国联系乙镇东山村党支部');
    p.old = await pairing(
      'leader_contact',
      b.villages[1]!.branch.id,
      '李建国联系乙镇西坪村党支部',
      Y - 2,
      Y - 2,
    );

    // 40 visits of year Y over the three pairings, a joint one, two of an older year; some
    // content a spreadsheet would take for a formula.
    const units = OUTCOME_UNITS.map((u) => u.code);
    for (let i = 0; i < 40; i++) {
      const pairings = i === 7 ? [p.a1, p.b1] : [[p.a1, p.a2, p.b1][i % 3]!];
      const month = String((i % 12) + 1).padStart(2, '0');
      await insertVisit(
        database.db,
        t.county.id,
        {
          visited_on: `${Y}-${month}-${String((i % 27) + 1).padStart(2, '0')}`,
          kind: i % 2 ? 'on_site_work' : 'four_visits',
          sub_kind: i % 2 ? null : 'funds_visit',
          content: i < FORMULAS.length ? FORMULAS[i]! : `到村开展第${i + 1}次走访，了解集体经济发展情况`,
          problems_found: i % 5 === 0 ? '村集体经济收入偏低' : null,
          problems_solved: null,
          created_by: null,
        },
        pairings,
        i % 4 === 0 ? [people[0]!.id] : [],
        i % 3 === 0
          ? [
              { unit: units[i % units.length]!, amount: (i + 1) * 100, note: null },
              { unit: 'yuan', amount: 5000 + i, note: null },
            ].filter((o, k, all) => all.findIndex((x) => x.unit === o.unit) === k)
          : [],
      );
    }
    for (const on of [`${Y - 2}-05-01`, `${Y - 2}-06-01`]) {
      await insertVisit(
        database.db,
        t.county.id,
        {
          visited_on: on,
          kind: 'on_site_work',
          sub_kind: null,
          content: '往年走访',
          problems_found: null,
          problems_solved: null,
          created_by: null,
        },
        [p.old],
        [people[1]!.id],
        [{ unit: 'yuan', amount: 100000, note: null }],
      );
    }

    app = await testApp(database);
    c = {
      admin: { inject: app.inject },
      staffA: await app.as('committee_staff', a.committee.id),
      staffA2: await app.as('committee_staff', a.committee.id),
      secretary: await app.as('branch_secretary', a.villages[0]!.branch.id),
      auditor: await app.as('auditor'),
    };
    // Checks through the API: one with two problems (one closed), one good, one with formula-like findings.
    const check = async (payload: object) => {
      const res = await c.admin.inject({ method: 'POST', url: '/api/inspections', payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const first = await check({
      pairingId: p.a1,
      method: 'on_site',
      checkedOn: `${Y}-03-10`,
      conclusion: 'problems',
      findings: '走访记录不全',
      problems: [
        {
          problem: '走访记录不全，未见帮扶成效记录',
          ownerOrgId: a.villages[0]!.branch.id,
          dueOn: `${Y}-04-30`,
        },
        { problem: '年度计划任务进度滞后', ownerOrgId: a.committee.id, dueOn: `${Y}-05-31` },
      ],
    });
    const closed = await c.admin.inject({
      method: 'POST',
      url: `/api/rectifications/${first.rectificationList[0].id}/close`,
      payload: { evidence: '已补齐走访记录', closedOn: `${Y}-04-20` },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    await check({
      orgId: b.villages[0]!.branch.id,
      method: 'phone',
      checkedOn: `${Y}-06-02`,
      conclusion: 'good',
    });
    await check({
      pairingId: p.b1,
      method: 'records',
      checkedOn: `${Y}-09-15`,
      conclusion: 'fair',
      findings: '=1+2 台账页码不连续',
      problems: [{ problem: '-台账页码不连续', ownerOrgId: b.villages[0]!.branch.id, dueOn: `${Y}-10-15` }],
    });
  });
  afterAll(async () => {
    await app?.close().catch(() => {});
    await database?.dispose();
  });

  const start = (client: Client, name: string, filter: object) =>
    client.inject({ method: 'POST', url: `/api/ledgers/${name}/exports`, payload: filter });

  /** Starts an export, follows it to the end (checking progress only grows), and downloads the file. */
  async function exportLedger(client: Client, name: string, filter: object) {
    const started = await start(client, name, filter);
    expect(started.statusCode, started.body).toBe(202);
    const job = started.json();
    expect(job).toMatchObject({ ledger: name, status: 'running', rowsDone: 0 });
    let last = job;
    for (let i = 0; i < 400 && last.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const polled = await client.inject({ method: 'GET', url: `/api/ledgers/exports/${job.id}` });
      expect(polled.statusCode).toBe(200);
      expect(polled.json().rowsDone).toBeGreaterThanOrEqual(last.rowsDone);
      last = polled.json();
    }
    expect(last.status, JSON.stringify(last)).toBe('done');
    expect(last.rowsDone).toBe(last.rowsTotal);
    expect(last.rowsTotal).toBe(job.rowsTotal);
    const file = await client.inject({ method: 'GET', url: last.fileUrl });
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    return { job: last, file, sheet: await readBack(file.rawPayload) };
  }

  const rowsOf = async <T>(query: RawBuilder<T>) => (await query.execute(database.db)).rows;

  it('lists the ledgers a role may export; a secretary may export none', async () => {
    const list = await c.admin.inject({ method: 'GET', url: '/api/ledgers' });
    expect(list.statusCode, list.body).toBe(200);
    const names = list.json().items.map((l: { name: string }) => l.name);
    expect(names).toEqual(expect.arrayContaining(['pairings', 'visits', 'outcomes', 'inspections']));
    expect(list.json().items.find((l: { name: string }) => l.name === 'visits').titleZh).toBe('走访台账');
    expect((await c.auditor.inject({ method: 'GET', url: '/api/ledgers' })).statusCode).toBe(200);
    expect((await c.secretary.inject({ method: 'GET', url: '/api/ledgers' })).statusCode).toBe(403);
    expect((await start(c.secretary, 'visits', {})).statusCode).toBe(403);
  });

  it('the visits ledger of a year: every visit once, in id order, figures as in the database; formula-like text stays text', async () => {
    const { job, file, sheet } = await exportLedger(c.admin, 'visits', { year: Y });
    const expected = await rowsOf(
      sql<{ id: number; visited_on: string; content: string }>`SELECT id, visited_on, content FROM visits
        WHERE county_id = ${t.county.id} AND visited_on BETWEEN ${`${Y}-01-01`}::date AND ${`${Y}-12-31`}::date ORDER BY id`,
    );
    expect(expected).toHaveLength(40);
    expect(job.rowsTotal).toBe(40);
    expect(sheet.title).toBe(`中共台账县委员会走访台账（${Y}年）`);
    expect(sheet.header[1]).toBe('活动日期\nDate');
    expect(sheet.rows.map((r) => r.getCell(sheet.col('编号')).value)).toEqual(expected.map((e) => e.id));
    expect(sheet.rows.map((r) => dayOf(r.getCell(sheet.col('活动日期')).value))).toEqual(
      expected.map((e) => e.visited_on),
    );
    FORMULAS.forEach((f, i) => {
      const cell = sheet.rows[i]!.getCell(sheet.col('活动内容'));
      expect(cell.value).toBe(asStored(f));
      expect(cell.formula).toBeUndefined();
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.numFmt).toBe('@');
    });
    const joint = sheet.rows[7]!;
    expect(joint.getCell(sheet.col('所涉结对')).value).toBe(
      '李建国联系甲镇东山村党支部；李建国联系乙镇东山村党支部',
    );
    expect(sheet.rows[0]!.getCell(sheet.col('参加人员')).value).toBe('王大山');
    expect(sheet.rows[0]!.getCell(sheet.col('活动类型')).value).toBe('四访（带着资金走访）');
    expect(String(sheet.rows[3]!.getCell(sheet.col('活动成效')).value)).toMatch(/^.*5003元/);
    const disposition = String(file.headers['content-disposition']);
    expect(disposition).toContain('attachment;');
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!;
    expect(encoded).not.toMatch(/[()'*]/);
    expect(decodeURIComponent(encoded)).toBe(`中共台账县委员会走访台账（${Y}年）.xlsx`);
    // Downloaded once, then gone: the job and its file.
    const again = await c.admin.inject({ method: 'GET', url: job.fileUrl });
    expect(again.statusCode).toBe(404);
    const left = () => readdirSync(join(app.dataDir, 'exports')).filter((f) => f.startsWith(job.id));
    for (let i = 0; i < 40 && left().length; i++) await new Promise((r) => setTimeout(r, 25));
    expect(left()).toEqual([]);
    const logged = await database.db
      .selectFrom('audit_log')
      .select(['details', 'username', 'target_id'])
      .where('county_id', '=', t.county.id)
      .where('action', '=', 'ledger.export')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(logged.target_id).toBe('visits');
    expect(logged.details).toEqual({ filter: { year: Y }, orgId: t.rootOrg.id, rows: 40 });
  });

  it('a job is its owner’s: another user gets 404 for its progress and its file', async () => {
    const started = await start(c.staffA, 'pairings', { year: Y });
    expect(started.statusCode, started.body).toBe(202);
    const id = started.json().id;
    expect((await c.staffA2.inject({ method: 'GET', url: `/api/ledgers/exports/${id}` })).statusCode).toBe(
      404,
    );
    expect((await c.admin.inject({ method: 'GET', url: `/api/ledgers/exports/${id}/file` })).statusCode).toBe(
      404,
    );
    for (let i = 0; i < 200; i++) {
      const s = (await c.staffA.inject({ method: 'GET', url: `/api/ledgers/exports/${id}` })).json();
      if (s.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(
      (await c.staffA2.inject({ method: 'GET', url: `/api/ledgers/exports/${id}/file` })).statusCode,
    ).toBe(404);
    expect(
      (await c.staffA.inject({ method: 'GET', url: `/api/ledgers/exports/${id}/file` })).statusCode,
    ).toBe(200);
  });

  it('the subtree is respected: a township exports its own visits only, and not another township', async () => {
    const { sheet } = await exportLedger(c.staffA, 'visits', { year: Y });
    const underA = await rowsOf(
      sql<{
        id: number;
      }>`SELECT DISTINCT v.id FROM visits v JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
        WHERE v.county_id = ${t.county.id} AND vp.pairing_id IN (${p.a1}, ${p.a2}) AND v.visited_on >= ${`${Y}-01-01`}::date ORDER BY v.id`,
    );
    expect(underA.length).toBeGreaterThan(20);
    expect(sheet.rows.map((r) => r.getCell(1).value)).toEqual(underA.map((r) => r.id));
    expect(sheet.title).toBe(`中共甲镇委员会走访台账（${Y}年）`);
    const { sheet: onlyB } = await exportLedger(c.admin, 'visits', { year: Y, orgId: b.committee.id });
    const underB = await rowsOf(
      sql<{
        id: number;
      }>`SELECT DISTINCT v.id FROM visits v JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
        WHERE v.county_id = ${t.county.id} AND vp.pairing_id = ${p.b1} AND v.visited_on >= ${`${Y}-01-01`}::date ORDER BY v.id`,
    );
    expect(onlyB.rows.map((r) => r.getCell(1).value)).toEqual(underB.map((r) => r.id));
    const outside = await start(c.staffA, 'visits', { orgId: b.committee.id });
    expect(outside.statusCode).toBe(404);
    const bad = await start(c.admin, 'visits', { from: `${Y}-05-01`, to: `${Y}-04-01` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('to');
    expect((await start(c.admin, 'nonesuch', {})).statusCode).toBe(404);
  });

  it('the outcomes ledger sums each unit by township and kind as the database does, and totals over distinct visits', async () => {
    const { sheet } = await exportLedger(c.admin, 'outcomes', { year: Y });
    const expected = await rowsOf(
      sql<{ township: string; kind: string; visits: number } & Record<string, string | null>>`
        WITH g AS (
          SELECT DISTINCT vp.visit_id, t.short_name AS township, p.kind
          FROM visit_pairings vp
          JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
          JOIN visits v ON v.county_id = vp.county_id AND v.id = vp.visit_id
          JOIN orgs h ON h.county_id = p.county_id AND h.id = p.helped_org_id
          JOIN orgs t ON t.county_id = h.county_id AND t.parent_id = ${t.rootOrg.id} AND h.path <@ t.path
          WHERE vp.county_id = ${t.county.id} AND extract(year FROM v.visited_on) = ${Y})
        SELECT g.township, g.kind, count(DISTINCT g.visit_id)::int AS visits,
          ${sql.join(
            OUTCOME_UNITS.map(
              (u) =>
                sql`(SELECT sum(o.amount) FROM visit_outcomes o WHERE o.county_id = ${t.county.id} AND o.unit = ${u.code}
                     AND o.visit_id IN (SELECT x.visit_id FROM g x WHERE x.township = g.township AND x.kind = g.kind))::text AS ${sql.id(u.code)}`,
            ),
            sql`, `,
          )}
        FROM g GROUP BY g.township, g.kind`,
    );
    expect(expected.length).toBe(3);
    const kindZh: Record<string, string> = { leader_contact: '领导联点', branch_cobuild: '支部联建' };
    for (const e of expected) {
      const row = sheet.rows.find(
        (r) =>
          r.getCell(sheet.col('乡镇（党委）')).value === e.township &&
          r.getCell(sheet.col('结对类型')).value === kindZh[e.kind],
      );
      expect(row, `${e.township} ${e.kind}`).toBeDefined();
      expect(row!.getCell(sheet.col('活动次数')).value).toBe(e.visits);
      for (const u of OUTCOME_UNITS) {
        const cell = row!.getCell(sheet.col(`${u.measure.zh}（${u.zh}）`));
        expect(cell.value, `${e.township} ${e.kind} ${u.code}`).toBe(Number(e[u.code] ?? 0));
      }
    }
    const total = sheet.rows.at(-1)!;
    expect(total.getCell(1).value).toBe('合计');
    expect(sheet.rows).toHaveLength(expected.length + 1);
    const [sums] = await rowsOf(
      sql<{ yuan: string; visits: number }>`SELECT
          (SELECT sum(amount)::text FROM visit_outcomes o JOIN visits v ON v.county_id = o.county_id AND v.id = o.visit_id
            WHERE o.county_id = ${t.county.id} AND o.unit = 'yuan' AND extract(year FROM v.visited_on) = ${Y}) AS yuan,
          (SELECT count(*)::int FROM visits WHERE county_id = ${t.county.id} AND extract(year FROM visited_on) = ${Y}) AS visits`,
    );
    expect(total.getCell(sheet.col('资金（元）')).value).toBe(Number(sums!.yuan));
    expect(total.getCell(sheet.col('活动次数')).value).toBe(sums!.visits);
    // The joint visit counts in both townships' rows, once in the total.
    const byRows = sheet.rows
      .slice(0, -1)
      .reduce((n, r) => n + Number(r.getCell(sheet.col('活动次数')).value), 0);
    expect(byRows).toBe(sums!.visits + 1);
  });

  it('the pairings ledger: the pairings active in the year, with their visits in it', async () => {
    const { sheet } = await exportLedger(c.auditor, 'pairings', { year: Y });
    expect(sheet.rows.map((r) => r.getCell(1).value)).toEqual([p.a1, p.a2, p.b1]);
    const counts = await rowsOf(
      sql<{ pairing_id: number; n: number }>`SELECT vp.pairing_id, count(*)::int AS n FROM visit_pairings vp
        JOIN visits v ON v.county_id = vp.county_id AND v.id = vp.visit_id
        WHERE vp.county_id = ${t.county.id} AND extract(year FROM v.visited_on) = ${Y} GROUP BY 1`,
    );
    for (const r of sheet.rows) {
      const id = r.getCell(1).value;
      expect(r.getCell(sheet.col('期间活动次数')).value).toBe(counts.find((x) => x.pairing_id === id)!.n);
    }
    expect(sheet.rows[0]!.getCell(sheet.col('帮扶方')).value).toBe('李建国');
    expect(sheet.rows[0]!.getCell(sheet.col('所属乡镇')).value).toBe('甲镇党委');
    expect(dayOf(sheet.rows[0]!.getCell(sheet.col('开始日期')).value)).toBe(`${Y}-01-01`);
  });

  it('the members roster: a township exports its own members only, ID numbers and phones masked as on screen', async () => {
    const { sheet } = await exportLedger(c.staffA, 'members', {});
    const names = sheet.rows.map((r) => r.getCell(sheet.col('姓名')).value);
    const expected = await rowsOf(
      sql<{ name: string; id_number: string }>`SELECT m.name, m.id_number FROM members m
        JOIN orgs o ON o.county_id = m.county_id AND o.id = m.org_id
        WHERE m.county_id = ${t.county.id} AND o.path <@ ${a.committee.path}::ltree ORDER BY m.id`,
    );
    expect(names).toEqual(expected.map((m) => m.name));
    expect(names).toContain('王大山');
    expect(names).not.toContain('赵小河');
    const ids = sheet.rows.map((r) => String(r.getCell(sheet.col('身份证号（脱敏）')).value));
    expect(ids.every((id) => /^\d{6}\*{8}[\dX]{4}$/.test(id))).toBe(true);
    for (const m of expected) expect(ids).not.toContain(m.id_number);
  });

  it('the checks and rectifications ledger: a row per rectification, a check without one on a row of its own', async () => {
    const { sheet, job } = await exportLedger(c.admin, 'inspections', { year: Y });
    expect(job.rowsTotal).toBe(4);
    expect(sheet.rows).toHaveLength(4);
    const statuses = sheet.rows.map((r) => r.getCell(sheet.col('整改状态')).value);
    expect(statuses).toEqual(['已整改销号', '逾期未整改', null, '逾期未整改']);
    expect(sheet.rows[0]!.getCell(sheet.col('整改情况')).value).toBe('已补齐走访记录');
    expect(dayOf(sheet.rows[0]!.getCell(sheet.col('销号日期')).value)).toBe(`${Y}-04-20`);
    expect(sheet.rows[2]!.getCell(sheet.col('检查结论')).value).toBe('好');
    const findings = sheet.rows[3]!.getCell(sheet.col('检查情况'));
    expect(findings.value).toBe('=1+2 台账页码不连续');
    expect(findings.formula).toBeUndefined();
    expect(sheet.rows[3]!.getCell(sheet.col('发现问题')).value).toBe('-台账页码不连续');
    const { sheet: a1 } = await exportLedger(c.staffA, 'inspections', { year: Y });
    expect(a1.rows.map((r) => r.getCell(sheet.col('检查对象')).value)).toEqual([
      '李建国联系甲镇东山村党支部',
      '李建国联系甲镇东山村党支部',
    ]);
  });

  it('reads each batch in a short transaction of its own, narrowed to the user; a handle kept across batches is refused', async () => {
    const staff = await database.db
      .selectFrom('users')
      .select(['id', 'username'])
      .where('county_id', '=', t.county.id)
      .where('org_id', '=', a.committee.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const access = {
      appRole: await appRoleName(database.db),
      actor: {
        userId: staff.id,
        username: staff.username,
        role: 'committee_staff' as const,
        orgId: a.committee.id,
        orgPath: a.committee.path,
        memberId: null,
      },
    };
    const page = (db: Executor, after: number, limit: number) =>
      sql<{ id: number; tx: string }>`SELECT id, txid_current()::text AS tx FROM visits
        WHERE county_id = ${t.county.id} AND id > ${after} ORDER BY id LIMIT ${limit}`
        .execute(db)
        .then((r) => r.rows);
    const probe: LedgerDefinition = {
      name: 'probe',
      titleZh: '探针',
      titleEn: 'Probe',
      action: 'pairing.read',
      columns: [
        { key: 'id', zh: '编号', en: 'No.', type: 'number' },
        { key: 'tx', zh: '事务', en: 'Transaction' },
      ],
      count: async (ctx) =>
        Number(
          (
            await sql<{
              n: number;
            }>`SELECT count(*)::int AS n FROM visits WHERE county_id = ${t.county.id}`.execute(ctx.db)
          ).rows[0]!.n,
        ),
      async *rows(ctx) {
        for await (const rows of keysetPages(ctx, page, (r) => r.id, 10)) yield* rows;
      },
    };
    const x = { db: database.db, countyId: t.county.id, access, def: probe, filter: {} };
    const prepared = await prepareLedger(x);
    const visible = await rowsOf(
      sql<{ id: number }>`SELECT DISTINCT vp.visit_id AS id FROM visit_pairings vp
        WHERE vp.county_id = ${t.county.id} AND vp.pairing_id IN (${p.a1}, ${p.a2}) ORDER BY 1`,
    );
    expect(prepared.rowsTotal).toBe(visible.length);
    const dir = await mkdtemp(join(tmpdir(), 'gongjian-ledger-'));
    try {
      const progress: [number, number][] = [];
      const { rows } = await writeLedger(x, {
        file: join(dir, 'probe.xlsx'),
        prepared,
        batchSize: 10,
        onProgress: (done, total) => progress.push([done, total]),
      });
      expect(rows).toBe(visible.length);
      expect(progress.at(-1)).toEqual([rows, rows]);
      expect(progress.map(([d]) => d)).toEqual([...progress.map(([d]) => d)].sort((m, n) => m - n));
      const { readFile } = await import('node:fs/promises');
      const { rows: written, col } = await readBack(await readFile(join(dir, 'probe.xlsx')));
      expect(written.map((r) => r.getCell(col('编号')).value)).toEqual(visible.map((v) => v.id));
      const txs = new Set(written.map((r) => r.getCell(col('事务')).value));
      expect(txs.size).toBe(Math.ceil(visible.length / 10));

      const stale: LedgerDefinition = {
        ...probe,
        async *rows(ctx) {
          const kept = ctx.db;
          for (let after = 0; ; ) {
            const rows = await page(kept, after, 10);
            if (!rows.length) return;
            yield* rows;
            after = rows.at(-1)!.id;
          }
        },
      };
      const file = join(dir, 'stale.xlsx');
      await expect(writeLedger({ ...x, def: stale }, { file, prepared, batchSize: 10 })).rejects.toThrow(
        /already committed/,
      );
      expect(existsSync(file)).toBe(false);
      const failed = await database.db
        .selectFrom('audit_log')
        .select(['result', 'target_id'])
        .where('county_id', '=', t.county.id)
        .where('action', '=', 'ledger.export')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(failed).toEqual({ result: 'failed', target_id: 'probe' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a finished export waits in the database, not the data directory; closing the app leaves it there', async () => {
    const dir = join(app.dataDir, 'exports');
    const started = await start(c.admin, 'pairings', {});
    expect(started.statusCode).toBe(202);
    const id = started.json().id;
    for (let i = 0; i < 200; i++) {
      const s = (await c.admin.inject({ method: 'GET', url: `/api/ledgers/exports/${id}` })).json();
      if (s.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const stored = () =>
      database.db
        .selectFrom('stored_files')
        .select(['purpose', 'size'])
        .where('id', '=', id)
        .executeTakeFirst();
    expect(await stored()).toMatchObject({ purpose: 'ledger_export' });
    expect(readdirSync(dir)).toEqual([]);
    // Another process on the database may hand it out (src/modules/files/files.test.ts): it stays.
    await app.close();
    expect(await stored()).toMatchObject({ purpose: 'ledger_export' });
    expect(existsSync(join(dir, `${id}.xlsx`))).toBe(false);
  });
});
