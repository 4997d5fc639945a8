import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { type Database, openDatabase } from '../../db/database.ts';
import { listMigrations, migrate } from '../../db/migrate.ts';
import type { ServiceContext } from '../context.ts';
import { recordAudit } from './service.ts';
import { verifyAuditChain } from './verify.ts';

/**
 * The audit trail's hash chain (migration 0011): the table owner can switch the append-only trigger
 * off and edit or delete a record; the chain's walk then names the first record that no longer fits.
 * Each case has a county of its own, so a chain of its own.
 */
let countyCode = 369_400;

/** A few records of every shape: text needing escapes, NULLs, nested details. */
async function someRecords(ctx: ServiceContext, n = 6) {
  for (let i = 0; i < n; i++) {
    await recordAudit(ctx, {
      action: `test.act${i % 3}`,
      ...(i % 2 === 0 && { targetType: 'member', targetId: i }),
      details: { i, note: `“引号”\n"${i}"\\`, nested: { list: [1, 2.5, null, true] } },
    });
  }
}

/** As the table's owner: the append-only trigger off, one statement, the trigger on again. */
async function tamper(db: Database['db'], statement: ReturnType<typeof sql>) {
  await db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(trx);
    await statement.execute(trx);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(trx);
  });
}

const recordsOf = (db: Database['db'], countyId: number) =>
  db
    .selectFrom('audit_log')
    .select(['id', 'at', 'chain_seq', 'hash'])
    .where('county_id', '=', countyId)
    .orderBy('chain_seq')
    .execute();

describe.each(dbTargets())('the audit hash chain on the $name database', (target) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const county = async () => (await makeCounty(database.db, { code: String(countyCode++) })).ctx;

  it('an untouched log verifies: every record in place, the head is the last record', async () => {
    const ctx = await county();
    await someRecords(ctx);
    const rows = await recordsOf(database.db, ctx.countyId);
    expect(rows.map((r) => r.chain_seq)).toEqual(rows.map((_, i) => i + 1));
    const report = await verifyAuditChain(ctx);
    expect(report).toMatchObject({ ok: true, records: rows.length, firstBreak: null });
    expect(report.head).toMatchObject({
      chainSeq: rows.length,
      id: rows.at(-1)!.id,
      hash: Buffer.from(rows.at(-1)!.hash).toString('hex'),
    });
    expect(report.message).toBe(`审计记录哈希链完整，共${rows.length}条`);
  });

  it('a record edited with the trigger switched off breaks the chain at that record', async () => {
    const ctx = await county();
    await someRecords(ctx);
    const rows = await recordsOf(database.db, ctx.countyId);
    const victim = rows[3]!;
    await tamper(
      database.db,
      sql`UPDATE audit_log SET username = 'someone else' WHERE county_id = ${ctx.countyId} AND id = ${victim.id}`,
    );
    const report = await verifyAuditChain(ctx);
    expect(report.ok).toBe(false);
    expect(report.records).toBe(3);
    expect(report.firstBreak).toMatchObject({
      reason: 'altered',
      id: victim.id,
      chainSeq: 4,
      at: new Date(victim.at).toISOString(),
    });
    expect(report.firstBreak!.message).toContain(`第4条（编号${victim.id}，`);
    expect(report.firstBreak!.messageEn).toContain(`#4 (id ${victim.id}, `);
  });

  it('a record deleted with the trigger switched off breaks the chain at the next record', async () => {
    const ctx = await county();
    await someRecords(ctx);
    const rows = await recordsOf(database.db, ctx.countyId);
    await tamper(
      database.db,
      sql`DELETE FROM audit_log WHERE county_id = ${ctx.countyId} AND id = ${rows[2]!.id}`,
    );
    const report = await verifyAuditChain(ctx);
    expect(report).toMatchObject({ ok: false, records: 2 });
    expect(report.firstBreak).toMatchObject({ reason: 'missing', id: rows[3]!.id, chainSeq: 4 });
    expect(report.firstBreak!.message).toContain('缺少第3至3条');
  });

  it('a hash recomputed for an edited record moves the break to the next one', async () => {
    const ctx = await county();
    await someRecords(ctx);
    const rows = await recordsOf(database.db, ctx.countyId);
    // (SET reads the row as it was: the edit first, then its hash.)
    await tamper(
      database.db,
      sql`UPDATE audit_log SET action = 'test.nothing' WHERE county_id = ${ctx.countyId} AND id = ${rows[2]!.id}`,
    );
    await tamper(
      database.db,
      sql`UPDATE audit_log a SET hash = sha256(${Buffer.from(rows[1]!.hash)}::bytea || audit_row_bytes(a))
           WHERE county_id = ${ctx.countyId} AND id = ${rows[2]!.id}`,
    );
    const report = await verifyAuditChain(ctx);
    expect(report.firstBreak).toMatchObject({ reason: 'altered', id: rows[3]!.id, chainSeq: 4 });
  });

  it('a chain recomputed whole, or cut at its end, passes alone but not against an anchor noted earlier', async () => {
    const ctx = await county();
    await someRecords(ctx);
    const noted = (await verifyAuditChain(ctx)).head!;
    const anchor = { chainSeq: noted.chainSeq, hash: noted.hash };
    expect((await verifyAuditChain(ctx, anchor)).ok).toBe(true);
    const rows = await recordsOf(database.db, ctx.countyId);

    // The owner rewrites a record and every hash after it, as the trigger would have.
    await tamper(
      database.db,
      sql`UPDATE audit_log SET action = 'test.rewritten' WHERE county_id = ${ctx.countyId} AND id = ${rows[1]!.id}`,
    );
    for (let i = 1; i < rows.length; i++) {
      await tamper(
        database.db,
        sql`UPDATE audit_log a SET hash = sha256((SELECT p.hash FROM audit_log p WHERE p.county_id = a.county_id AND p.chain_seq = a.chain_seq - 1) || audit_row_bytes(a))
             WHERE county_id = ${ctx.countyId} AND id = ${rows[i]!.id}`,
      );
    }
    expect((await verifyAuditChain(ctx)).ok).toBe(true);
    const rewritten = await verifyAuditChain(ctx, anchor);
    expect(rewritten.firstBreak).toMatchObject({ reason: 'anchor', chainSeq: noted.chainSeq, id: noted.id });

    const other = await county();
    await someRecords(other);
    const head = (await verifyAuditChain(other)).head!;
    await tamper(
      database.db,
      sql`DELETE FROM audit_log WHERE county_id = ${other.countyId} AND id = ${head.id}`,
    );
    expect((await verifyAuditChain(other)).ok).toBe(true);
    const cut = await verifyAuditChain(other, { chainSeq: head.chainSeq, hash: head.hash });
    expect(cut).toMatchObject({ ok: false, records: head.chainSeq - 1 });
    expect(cut.firstBreak).toMatchObject({ reason: 'anchor', id: null, chainSeq: head.chainSeq });
  });

  it('a record written with the chain trigger off and the NOT NULLs dropped is named', async () => {
    const ctx = await county();
    await someRecords(ctx, 2);
    const { rows } = await database.db
      .transaction()
      .execute(async (trx) => {
        await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain`.execute(trx);
        await sql`ALTER TABLE audit_log ALTER COLUMN chain_seq DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`.execute(
          trx,
        );
        const inserted = await sql<{ id: number }>`
        INSERT INTO audit_log (county_id, action, result) VALUES (${ctx.countyId}, 'test.slipped', 'ok') RETURNING id`.execute(
          trx,
        );
        const report = await verifyAuditChain({ ...ctx, db: trx });
        expect(report.firstBreak).toMatchObject({ reason: 'unchained', id: inserted.rows[0]!.id });
        // Put back as found: the rest of the file (and the other counties' chains) go on.
        throw Object.assign(new Error('rollback'), { inserted });
      })
      .catch((err: { inserted?: { rows: { id: number }[] } }) => {
        if (!err.inserted) throw err;
        return err.inserted;
      });
    expect(rows).toHaveLength(1);
    expect((await verifyAuditChain(ctx)).ok).toBe(true);
  });

  it('concurrent writers in one county take turns: one chain, no place twice', async () => {
    const ctx = await county();
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          await recordAudit({ ...ctx, db: trx }, { action: 'test.race', details: { i } });
          await new Promise((r) => setTimeout(r, i % 3));
          await recordAudit({ ...ctx, db: trx }, { action: 'test.race', details: { i, again: true } });
        }),
      ),
    );
    const report = await verifyAuditChain(ctx);
    expect(report).toMatchObject({ ok: true });
    expect(report.records).toBe((await recordsOf(database.db, ctx.countyId)).length);
  });

  it('GET /api/audit/verify: county administrators and auditors, the break in Chinese and English', async () => {
    const code = String(countyCode++);
    const t = await makeCounty(database.db, { code });
    const app = await testApp(database, code);
    try {
      const admin = await app.as('county_admin');
      const intact = await admin.inject({ method: 'GET', url: '/api/audit/verify' });
      expect(intact.statusCode, intact.body).toBe(200);
      expect(intact.json()).toMatchObject({ ok: true, firstBreak: null });
      const head = intact.json().head;
      const anchored = await admin.inject({
        method: 'GET',
        url: `/api/audit/verify?anchor=${head.chainSeq}:${head.hash}`,
      });
      expect(anchored.json()).toMatchObject({ ok: true });
      expect(
        (await admin.inject({ method: 'GET', url: '/api/audit/verify?anchor=3:nothex' })).statusCode,
      ).toBe(400);

      const rows = await recordsOf(database.db, t.county.id);
      await tamper(
        database.db,
        sql`UPDATE audit_log SET ip = '10.0.0.1' WHERE county_id = ${t.county.id} AND id = ${rows[0]!.id}`,
      );
      const auditor = await app.as('auditor');
      const res = await auditor.inject({ method: 'GET', url: '/api/audit/verify' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ ok: false, records: 0 });
      expect(body.firstBreak).toMatchObject({ reason: 'altered', id: rows[0]!.id, chainSeq: 1 });
      expect(body.message).toMatch(/^审计记录哈希链断裂：审计记录第1条/);
      expect(body.messageEn).toMatch(/^the audit hash chain is broken: audit record #1/);

      const staff = await app.as('committee_staff');
      expect((await staff.inject({ method: 'GET', url: '/api/audit/verify' })).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});

/** A database of the test's own, migrated only as far as asked. */
async function bareDatabase(name: 'embedded' | 'server') {
  if (name === 'embedded') {
    const database = await openDatabase({ kind: 'embedded' });
    return { database, dispose: () => database.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const db = `gongjian_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  const database = await openDatabase({ kind: 'server', url: url.toString() });
  return {
    database,
    dispose: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      for (const prefix of ['gongjian_app_', 'gongjian_maint_'])
        await c.query(`DROP ROLE IF EXISTS "${prefix}${db}"`);
      await c.end();
    },
  };
}

describe.each(dbTargets().map((t) => t.name))('migration 0011 on the %s database', (name) => {
  it('chains the records written before it, county by county, in the order they were written', async () => {
    const { database, dispose } = await bareDatabase(name);
    try {
      const all = listMigrations();
      await migrate(
        database,
        all.filter((m) => m.version < '0011'),
      );
      const ids: number[] = [];
      for (const [code, n] of [
        ['369481', 4],
        ['369482', 3],
      ] as const) {
        const { rows } = await sql<{ id: number }>`
          INSERT INTO counties (code, name) VALUES (${code}, ${`旧${code}县`}) RETURNING id`.execute(
          database.db,
        );
        ids.push(rows[0]!.id);
        for (let i = 0; i < n; i++) {
          await sql`INSERT INTO audit_log (county_id, action, result, details, at)
                    VALUES (${rows[0]!.id}, ${`old.${i}`}, 'ok', ${JSON.stringify({ i })}::jsonb, now() - make_interval(days => ${10 - i}))`.execute(
            database.db,
          );
        }
      }
      await migrate(database, all);
      for (const [k, countyId] of ids.entries()) {
        const report = await verifyAuditChain({ db: database.db, countyId });
        expect(report).toMatchObject({ ok: true, records: k === 0 ? 4 : 3 });
      }
      // New records carry on each county's chain.
      await recordAudit({ db: database.db, countyId: ids[1]! }, { action: 'new.after' });
      expect(await verifyAuditChain({ db: database.db, countyId: ids[1]! })).toMatchObject({
        ok: true,
        records: 4,
      });
    } finally {
      await dispose();
    }
  }, 120_000);
});
