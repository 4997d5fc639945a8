import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { bulletin } from './service.ts';
import { type BulletinCounty, bulletinCounty, firstHalfFigures, readDocx, Y } from './test-fixtures.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const number = (text: string, re: RegExp) => {
  const m = re.exec(text);
  if (!m) throw new Error(`${re} not found in:\n${text}`);
  return Number(m[1]);
};

describe.each(dbTargets())('the half-year bulletin (半年通报) on the $name database', (target) => {
  let database: TestDatabase;
  let w: BulletinCounty;
  let app: Awaited<ReturnType<typeof testApp>>;
  let doc: Awaited<ReturnType<typeof readDocx>>;

  beforeAll(async () => {
    database = await target.open();
    w = await bulletinCounty(database, '369961');
    app = await testApp(database, '369961');
    const r = await bulletin(
      { db: database.db, countyId: w.county.id },
      { year: Y, half: 1, issuedOn: `${Y}-07-10` },
    );
    doc = await readDocx(r.buffer);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('is titled, addressed and signed as a county organisation department’s 通报', () => {
    expect(doc.paragraphs[0]).toBe(`关于${Y}年上半年城乡党建“三联共建”工作开展情况的通报`);
    expect(doc.paragraphs).toContain('中共通报县委组织部');
    expect(doc.paragraphs).toContain('各乡镇党委，县直各党（工）委，各有关单位：');
    for (const h of ['一、总体进展情况', '二、典型做法', '三、存在的问题', '四、下步工作要求']) {
      expect(doc.paragraphs).toContain(h);
    }
    expect(doc.paragraphs.at(-1)).toBe(`${Y}年7月10日`);
    expect(doc.paragraphs.at(-2)).toBe('中共通报县委组织部');
  });

  it('opens with the seed-000 headline of the first half, every figure as SQL counts it', async () => {
    const f = await firstHalfFigures(database, w.county.id);
    // The point started on 1 July is not in the first half.
    expect(f).toMatchObject({
      leaders: 2,
      ruralBranches: 2,
      cobuildBranches: 2,
      assistMembers: 1,
      visits: 6,
      yuan: 32000,
    });
    const t = doc.text;
    expect(number(t, /共有(\d+)名党员领导干部参与“领导联点”/)).toBe(f.leaders);
    expect(number(t, /联系农村党支部(\d+)个/)).toBe(f.ruralBranches);
    expect(number(t, /(\d+)个党支部参与“支部联建”/)).toBe(f.cobuildBranches);
    expect(number(t, /(\d+)名党员参与“党员联帮”/)).toBe(f.assistMembers);
    expect(t).toContain('帮扶农村和企业困难党员1名、农村和社区困难户1户');
    expect(number(t, /上半年各结对共开展活动(\d+)次/)).toBe(f.visits);
    expect(number(t, /落实帮扶资金([\d.]+)万元/)).toBe(f.yuan / 10_000);
    expect(t).toContain('其中到点工作5次');
    // Nothing of the second half: the 99,999 yuan of 20 July.
    expect(t).not.toContain('13.1999');
  });

  it('tables progress by kind and by township; the township row matches SQL', async () => {
    const [byKind, byTownship] = doc.tables;
    expect(byKind![0]).toEqual([
      '类别',
      '结对（个）',
      '上半年活动（次）',
      '应到点（次）',
      '实到点（次）',
      '进度正常（个）',
      '进度滞后（个）',
      '未完成（个）',
    ]);
    expect(byKind).toContainEqual(['领导联点', '2', '5', '9', '5', '1', '1', '0']);
    expect(byKind).toContainEqual(['支部联建', '1', '1', '2', '1', '0', '1', '0']);
    expect(byKind).toContainEqual(['党员联帮', '2', '1', '—', '—', '—', '—', '—']);

    const committee = await database.db
      .selectFrom('orgs')
      .select('path')
      .where('id', '=', w.a.committee.id)
      .executeTakeFirstOrThrow();
    const f = await (await firstHalfFigures(database, w.county.id)).township(committee.path);
    const row = byTownship!.find((r) => r[0] === '甲镇党委');
    expect(row).toBeDefined();
    expect(Number(row![1])).toBe(f.pairings);
    expect(Number(row![6])).toBe(f.visits);
    expect(row).toEqual(['甲镇党委', '4', '2', '1', '1', '0', '4', '3.2']);
    expect(byTownship!.at(-1)).toEqual(['合计', '5', '3', '1', '2', '0', '6', '3.2']);
  });

  it('reports the mid-year checks of tasks and the good practice from the outcomes recorded', () => {
    expect(doc.text).toContain(
      '对1个结对的2项卡册任务开展了督促检查，已完成1项、推进中1项、滞后0项、未开始0项',
    );
    expect(doc.text).toMatch(
      /（一）县财政局县级联点领导联系东山村党支部（领导联点）。上半年开展结对活动3次（到点工作3次），落实帮扶资金3万元，实施项目1个，开展培训和学习20人次。/,
    );
  });

  it('names the organisations behind pace and the open rectification, never a person by default', () => {
    const t = doc.text;
    expect(t).toContain('有2个结对到点工作进度滞后');
    expect(t).toContain('乙镇党委：县财政局科级联点领导联系东山村党支部（应到点6次、实到2次）。');
    expect(t).toContain('甲镇党委：县财政局党支部与西坪村党支部（应到点2次、实到1次）。');
    expect(t).toContain(
      '共开展督查1次，发现问题2个，按期整改1个；截至6月30日，尚有1个问题未整改到位，其中逾期未整改1个',
    );
    expect(t).toContain('西坪村党支部：活动记录不完整，孙某的帮扶台账缺失（整改时限6月15日，已逾期）。');
    for (const name of ['李建国', '王志远', '赵志强', '孙秀英', '王大明', '周明', '陈晓东'])
      expect(t).not.toContain(name);
  });

  it('names leaders and owners when the county asks, but never the people helped', async () => {
    const r = await bulletin({ db: database.db, countyId: w.county.id }, { year: Y, half: 1, names: true });
    const t = (await readDocx(r.buffer)).text;
    expect(t).toContain('县财政局王志远同志联系东山村党支部（应到点6次、实到2次）');
    expect(t).toContain('责任人周明');
    expect(t).not.toContain('孙秀英');
    expect(t).not.toContain('王大明');
  });

  it('keeps its last paragraph with the issuer and the date, and a narrow column’s unit on a line of its own', () => {
    const paragraphs = doc.xml.split('</w:p>');
    const last = (text: string) => paragraphs.findLast((p) => p.includes(text)) ?? '';
    // The signature never stands alone on the last page: Word keeps these with the next paragraph.
    for (const text of ['四是', '中共通报县委组织部']) expect(last(text)).toContain('<w:keepNext/>');
    expect(paragraphs.find((p) => p.includes('一、总体进展情况'))).not.toContain('<w:keepNext/>');
    // "结对（个）" is wider than its column: the unit goes whole to the second line, never "（个" + "）".
    expect(doc.xml).toMatch(
      /<w:t xml:space="preserve">结对<\/w:t><\/w:r><w:r>(?:(?!<\/w:r>).)*<w:br\/><w:t xml:space="preserve">（个）<\/w:t>/,
    );
  });

  it('declares Chinese fonts with fallbacks, A4 with official margins, and page numbers in the footer', () => {
    expect(doc.styles).toContain('w:eastAsia="仿宋_GB2312"');
    expect(doc.styles).toContain('w:eastAsia="zh-CN"');
    expect(doc.xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(doc.xml).toContain('w:eastAsia="黑体"');
    expect(doc.xml).toContain('w:eastAsia="楷体_GB2312"');
    expect(doc.fontTable).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>');
    expect(doc.fontTable).toContain('<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>');
    expect(doc.xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(doc.xml).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(doc.footers).toContain('PAGE');
    expect(doc.footers).toContain('— ');
    expect(doc.settings).toContain('<w:evenAndOddHeaders/>');
  });

  it('downloads through the API with a Chinese file name (RFC 5987), audited; a secretary may not ask for names', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/reports/bulletin?year=${Y}&half=1` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(DOCX);
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toContain(`filename="bulletin-${Y}-H1.docx"`);
    expect(disposition).toContain(
      `filename*=UTF-8''${encodeURIComponent(`关于${Y}年上半年城乡党建“三联共建”工作开展情况的通报.docx`)}`,
    );
    const fromApi = await readDocx(res.rawPayload);
    expect(fromApi.paragraphs[0]).toBe(doc.paragraphs[0]);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('county_id', '=', w.county.id)
      .where('action', '=', 'report.bulletin')
      .execute();
    expect(audit.some((a) => a.target_id === String(w.rootOrg.id))).toBe(true);

    const secretary: TestClient = await app.as('branch_secretary', w.orgs.a0.id);
    const named = await secretary.inject({
      method: 'GET',
      url: `/api/reports/bulletin?year=${Y}&half=1&names=true`,
    });
    expect(named.statusCode).toBe(403);
    const member = await app.as('member', w.orgs.a0.id, w.members.helper.id);
    expect(
      (await member.inject({ method: 'GET', url: `/api/reports/bulletin?year=${Y}&half=1` })).statusCode,
    ).toBe(403);
    const bad = await app.inject({ method: 'GET', url: `/api/reports/bulletin?year=${Y}&half=3` });
    expect(bad.statusCode).toBe(400);
  });

  it('a township’s staff get their own subtree: 乙镇 only', async () => {
    const staff = await app.as('committee_staff', w.b.committee.id);
    const res = await staff.inject({ method: 'GET', url: `/api/reports/bulletin?year=${Y}&half=1` });
    expect(res.statusCode, res.body).toBe(200);
    const d = await readDocx(res.rawPayload);
    expect(d.paragraphs[0]).toBe(`关于${Y}年上半年乙镇党委城乡党建“三联共建”工作开展情况的通报`);
    const path = (
      await database.db
        .selectFrom('orgs')
        .select('path')
        .where('id', '=', w.b.committee.id)
        .executeTakeFirstOrThrow()
    ).path;
    const f = await firstHalfFigures(database, w.county.id, path);
    expect(number(d.text, /共有(\d+)名党员领导干部/)).toBe(f.leaders);
    expect(number(d.text, /共开展活动(\d+)次/)).toBe(f.visits);
    expect(f.visits).toBe(2);
    expect(d.text).not.toContain('甲镇');
  });
});
