import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoleName, enterScope } from '../src/db/rls.ts';
import { makeCounty, makeHousehold, makeMember, makeTownship } from './factories.ts';
import { dbTargets, type TestDatabase } from './helpers/db.ts';

/**
 * Defence in depth: the database itself keeps a user inside their subtree. These queries have no
 * WHERE clause on purpose — a forgotten filter must leak nothing.
 */
describe.each(dbTargets())('row-level security on the $name database', (target) => {
  let database: TestDatabase;
  let role: string;
  let countyId: number;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;

  beforeAll(async () => {
    database = await target.open();
    const t = await makeCounty(database.db, { code: '369931', name: '行级县' });
    countyId = t.ctx.countyId;
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    for (const town of [a, b]) {
      for (const v of town.villages) {
        await makeMember(t.ctx, { orgId: v.branch.id });
        await makeMember(t.ctx, { orgId: v.branch.id });
        await makeHousehold(t.ctx, { villageId: v.village.id });
      }
    }
    role = await appRoleName(database.db);
  });
  afterAll(() => database?.dispose());

  const asScope = <T>(scope: string | null, fn: (trx: typeof database.db) => Promise<T>) =>
    database.db.transaction().execute(async (trx) => {
      if (scope) await enterScope(trx, role, countyId, scope);
      else await sql`SET LOCAL ROLE ${sql.id(role)}`.execute(trx);
      return fn(trx);
    });

  it("an unscoped SELECT under a township user's context returns only that township's rows", async () => {
    const rows = await asScope(a.committee.path, async (trx) => ({
      orgs: (await sql<{ path: string }>`SELECT path::text AS path FROM orgs`.execute(trx)).rows,
      members: (await sql<{ org_id: number }>`SELECT org_id FROM members`.execute(trx)).rows,
      households: (await sql<{ org_id: number }>`SELECT org_id FROM households`.execute(trx)).rows,
    }));
    const inA = new Set([a.committee.id, ...a.villages.map((v) => v.branch.id)]);
    expect(rows.orgs.map((r) => r.path).sort()).toEqual(
      [a.committee.path, ...a.villages.map((v) => v.branch.path)].sort(),
    );
    expect(rows.members).toHaveLength(4);
    expect(rows.members.every((m) => inA.has(m.org_id))).toBe(true);
    expect(rows.households).toHaveLength(2);
    expect(rows.households.every((h) => inA.has(h.org_id))).toBe(true);
  });

  it('with no context set, the application role sees no rows at all', async () => {
    const counts = await asScope(null, async (trx) => {
      const { rows } = await sql<{
        orgs: number;
        members: number;
        households: number;
        users: number;
        places: number;
      }>`
        SELECT (SELECT count(*) FROM orgs) AS orgs, (SELECT count(*) FROM members) AS members,
               (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM users) AS users,
               (SELECT count(*) FROM places) AS places`.execute(trx);
      return rows[0];
    });
    expect(counts).toEqual({ orgs: 0, members: 0, households: 0, users: 0, places: 0 });
  });

  it('cannot write a row into another subtree, nor read sessions, nor change the audit trail', async () => {
    await expect(
      asScope(a.committee.path, (trx) =>
        sql`UPDATE members SET occupation = 'x' WHERE org_id = ${b.villages[0]!.branch.id}`.execute(trx),
      ),
    ).resolves.toMatchObject({ numAffectedRows: 0n });
    await expect(
      asScope(a.committee.path, (trx) => sql`SELECT * FROM sessions`.execute(trx)),
    ).rejects.toThrow(/permission denied/);
    await expect(asScope(a.committee.path, (trx) => sql`DELETE FROM audit_log`.execute(trx))).rejects.toThrow(
      /permission denied|append-only/,
    );
  });

  it('the scope ends with the transaction: the connection is back to its own role', async () => {
    await asScope(a.committee.path, async () => {});
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM orgs`.execute(database.db);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(7);
    const me = await sql<{ u: string }>`SELECT current_user AS u`.execute(database.db);
    expect(me.rows[0]!.u).not.toBe(role);
  });
});
