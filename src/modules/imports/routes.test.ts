import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { idOf, seedCounty, tempDir, writeXlsx } from './test-fixtures.ts';

const BOUNDARY = '----gongjian-test-boundary';

/** A multipart/form-data body built by hand, as a browser sends it. */
function multipart(filename: string, content: Buffer, field = 'file') {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
  );
  return {
    payload: Buffer.concat([head, content, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  };
}

describe.each(dbTargets())('import routes on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let uploadDir: string;
  let sheet: Buffer;
  let county: Awaited<ReturnType<typeof seedCounty>>;
  const good = idOf('1981-02-03', 11);
  const count = async () => (await database.db.selectFrom('members').select('id').execute()).length;

  beforeAll(async () => {
    database = await target.open();
    county = await seedCounty(database);
    app = await testApp(database);
    uploadDir = join(app.dataDir, 'uploads');
    const file = await writeXlsx(join(await tempDir(), `upload-${Date.now()}.xlsx`), [
      ['姓名', '公民身份号码', '所在党支部', '备注'],
      ['甲', good, '东山村', ''],
      ['乙', `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`, '东山村', ''],
    ]);
    sheet = await readFile(file);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('checks a sheet on a dry run, keeps nothing, and offers the error workbook for download', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/members?dryRun=true',
      ...multipart('花名册.xlsx', sheet),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ created: 1, failed: 1, ignoredColumns: ['备注'] });
    expect(body.errors[0]).toMatchObject({ row: 3, field: '公民身份号码' });
    expect(body.errorWorkbook).toBeUndefined();
    expect(body.errorWorkbookUrl).toMatch(/^\/api\/imports\/errors\/[0-9a-f]{32}\.xlsx$/);
    expect(await count()).toBe(0);
    // The upload itself is gone; only the error workbook stays.
    expect((await readdir(uploadDir)).filter((f) => f !== 'errors')).toEqual([]);

    const download = await app.inject({ method: 'GET', url: body.errorWorkbookUrl });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('spreadsheetml.sheet');
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
    const rows = workbook.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]![1]).toBe('乙');
  });

  it('imports for real', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/members',
      ...multipart('a.xlsx', sheet),
    });
    expect(res.json()).toMatchObject({ created: 1, failed: 1 });
    expect(await count()).toBe(1);
    expect((await readdir(join(uploadDir, 'errors'))).length).toBe(2);
  });

  it('takes files far above the JSON body limit (2 MB), as a CSV', async () => {
    const id = idOf('1981-02-04', 13);
    const csv = Buffer.from(
      `姓名,公民身份号码,所在党支部,备注\r\n丙,${id},东山村,${'长'.repeat(2_000_000)}\r\n`,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/members',
      ...multipart('big.csv', csv),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 1, failed: 0 });
  });

  it('imports organisations', async () => {
    const orgs = await writeXlsx(join(uploadDir, '..', `orgs-${Date.now()}.xlsx`), [
      ['组织名称', '组织类别', '所属领域', '上级党组织'],
      ['东山镇北坡村党支部', '党支部', '农村', '东山镇党委'],
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/orgs',
      ...multipart('orgs.xlsx', await readFile(orgs)),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 1, failed: 0, errors: [] });
    expect(res.json().errorWorkbookUrl).toBeUndefined();
  });

  it('a township’s staff cannot place an imported organisation in another township’s village', async () => {
    const root = await database.db
      .selectFrom('places')
      .select(['id', 'path'])
      .where('county_id', '=', county.countyId)
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const place = async (parent: { id: number; path: string }, kind: string, name: string) => {
      const id = Number(
        (
          await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('places', 'id')) AS id`.execute(
            database.db,
          )
        ).rows[0]!.id,
      );
      const row = {
        county_id: county.countyId,
        id,
        parent_id: parent.id,
        kind,
        name,
        path: `${parent.path}.${id}`,
      };
      await database.db.insertInto('places').values(row).execute();
      return row;
    };
    const dongshan = await place(root, 'town', '东山镇');
    const xihe = await place(root, 'township', '西河乡');
    await place(dongshan, 'village', '东坡村');
    await place(xihe, 'village', '西坡村');
    for (const [org, at] of [
      [county.dongshan.id, dongshan.id],
      [county.xihe.id, xihe.id],
    ] as const) {
      await database.db.updateTable('orgs').set({ place_id: at }).where('id', '=', org).execute();
    }
    const staff = await app.as('committee_staff', county.dongshan.id);
    const orgs = await writeXlsx(join(uploadDir, '..', `reach-${Date.now()}.xlsx`), [
      ['组织名称', '组织类别', '所属领域', '上级党组织', '所在地'],
      ['东山镇东坡村党支部', '党支部', '农村', '东山镇党委', '东坡村'],
      ['东山镇越界村党支部', '党支部', '农村', '东山镇党委', '西坡村'],
    ]);
    const res = await staff.inject({
      method: 'POST',
      url: '/api/imports/orgs',
      ...multipart('orgs.xlsx', await readFile(orgs)),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 1, failed: 1 });
    expect(JSON.stringify(res.json().errors)).toContain('找不到地点“西坡村”');
    const placed = await database.db
      .selectFrom('orgs')
      .select(['name', 'place_id'])
      .where('name', 'in', ['东山镇东坡村党支部', '东山镇越界村党支部'])
      .execute();
    expect(placed).toEqual([{ name: '东山镇东坡村党支部', place_id: expect.any(Number) }]);
  });

  it('refuses other file types, a missing file field, a sheet without the required columns, and bad tokens', async () => {
    const xls = await app.inject({
      method: 'POST',
      url: '/api/imports/members',
      ...multipart('old.xls', Buffer.from('x')),
    });
    expect(xls.statusCode).toBe(400);
    expect(xls.json().error.message).toContain('.xlsx');
    const wrongField = await app.inject({
      method: 'POST',
      url: '/api/imports/members',
      ...multipart('a.xlsx', sheet, 'upload'),
    });
    expect(wrongField.statusCode).toBe(400);
    const noColumns = await writeXlsx(join(uploadDir, '..', `bad-${Date.now()}.xlsx`), [['姓名'], ['甲']]);
    const missing = await app.inject({
      method: 'POST',
      url: '/api/imports/members',
      ...multipart('a.xlsx', await readFile(noColumns)),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({
      code: 'missing_columns',
      message: expect.stringContaining('公民身份号码'),
    });
    const notMultipart = await app.inject({ method: 'POST', url: '/api/imports/members', payload: { a: 1 } });
    expect(notMultipart.statusCode).toBeGreaterThanOrEqual(400);
    expect(notMultipart.statusCode).toBeLessThan(500);
    for (const token of ['..%2F..%2Fetc%2Fpasswd', 'abc.xlsx', `${'0'.repeat(32)}.xlsx`]) {
      const res = await app.inject({ method: 'GET', url: `/api/imports/errors/${token}` });
      expect([400, 404]).toContain(res.statusCode);
    }
    expect((await readdir(uploadDir)).filter((f) => f !== 'errors')).toEqual([]);
  });

  it('refuses a file over 50 MB', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 10, 0x41);
    const res = await app.inject({
      method: 'POST',
      url: '/api/imports/members',
      ...multipart('big.csv', big),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toContain('50MB');
    expect((await readdir(uploadDir)).filter((f) => f !== 'errors')).toEqual([]);
  });

  it('describes the routes for OpenAPI', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const post = spec.paths['/api/imports/members'].post;
    expect(post.tags).toEqual(['imports']);
    expect(post.summary).toContain('导入党员');
    expect(Object.keys(post.requestBody?.content ?? { 'multipart/form-data': {} })).toContain(
      'multipart/form-data',
    );
    expect(spec.paths['/api/imports/errors/{token}'].get.tags).toEqual(['imports']);
  });
});
