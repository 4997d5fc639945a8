import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, makeMember, makeOrg, makeTownship, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';

describe.each(dbTargets())('organisations API on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369920', name: '树县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    for (const { branch } of a.villages) {
      await makeMember(t.ctx, { orgId: branch.id });
      await makeMember(t.ctx, { orgId: branch.id, category: 'activist' });
    }
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('shows one organisation with its subtree counts (party members only, pipeline excluded)', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/orgs/${a.committee.id}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ name: '中共甲镇委员会', kindLabel: '党委', sectorLabel: '机关' });
    expect(body.counts).toMatchObject({
      childOrgs: 2,
      descendantOrgs: 2,
      branches: 2,
      members: 2,
      directMembers: 0,
    });
  });

  it('lists a subtree and filters by kind', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/orgs?under=${t.rootOrg.id}&kind=branch` });
    expect(res.json()).toMatchObject({ total: 4, page: 1 });
    const names = res.json().items.map((o: { name: string }) => o.name);
    expect(names).toContain('甲镇东山村党支部');
  });

  it('gives the tree lazily: depth 1 shows children with their child counts but not grandchildren', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/orgs/tree?depth=1' });
    const tree = res.json();
    expect(tree.id).toBe(t.rootOrg.id);
    expect(tree.children.map((c: { name: string }) => c.name).sort()).toEqual([
      '中共乙镇委员会',
      '中共甲镇委员会',
    ]);
    expect(tree.children[0].childCount).toBe(2);
    expect(tree.children[0].children).toEqual([]);
  });

  it('creates an organisation under a committee, and refuses one under a branch', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/api/orgs',
      payload: { parentId: a.committee.id, name: '甲镇机关党支部', kind: 'branch', sector: 'agency' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().path).toBe(`${a.committee.path}.${ok.json().id}`);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/orgs',
      payload: { parentId: a.villages[0]!.branch.id, name: '村下面的支部', kind: 'branch', sector: 'rural' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'parentId' });
    expect(bad.json().error.message).toMatch(/党支部/);
  });

  it('rejects unknown fields and never lets a body set the county', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/orgs',
      payload: {
        parentId: a.committee.id,
        name: '多字段党支部',
        kind: 'branch',
        sector: 'agency',
        countyId: 99,
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toContain('countyId');
  });

  it('refuses a second active organisation with the same name', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/orgs',
      payload: { parentId: b.committee.id, name: '甲镇东山村党支部', kind: 'branch', sector: 'rural' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.field).toBe('name');
  });

  it('moving an organisation moves its whole subtree', async () => {
    const mid = await makeOrg(t.ctx, {
      parentId: b.committee.id,
      name: '乙镇党总支',
      kind: 'general_branch',
      sector: 'agency',
    });
    const leaf = await makeOrg(t.ctx, {
      parentId: mid.id,
      name: '乙镇总支下支部',
      kind: 'branch',
      sector: 'agency',
    });
    const res = await app.inject({
      method: 'POST',
      url: `/api/orgs/${mid.id}/move`,
      payload: { parentId: a.committee.id },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().path).toBe(`${a.committee.path}.${mid.id}`);
    const moved = (await app.inject({ method: 'GET', url: `/api/orgs/${leaf.id}` })).json();
    expect(moved.path).toBe(`${a.committee.path}.${mid.id}.${leaf.id}`);
    expect(moved.depth).toBe(4);
  });

  it('refuses a move that would make a cycle, and changes nothing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/orgs/${a.committee.id}/move`,
      payload: { parentId: a.villages[0]!.branch.id },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('cycle');
    const after = (await app.inject({ method: 'GET', url: `/api/orgs/${a.committee.id}` })).json();
    expect(after.parentId).toBe(t.rootOrg.id);
  });

  it('closing an organisation that still has members is refused; an empty one closes with date and reason', async () => {
    const busy = await app.inject({
      method: 'POST',
      url: `/api/orgs/${a.villages[0]!.branch.id}/close`,
      payload: { closedOn: '2026-06-30', reason: '合并' },
    });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.message).toMatch(/1名党员/);
    const empty = await makeOrg(t.ctx, { parentId: b.committee.id, name: '待撤销党支部', sector: 'agency' });
    const res = await app.inject({
      method: 'POST',
      url: `/api/orgs/${empty.id}/close`,
      payload: { closedOn: '2026-06-30', reason: '单位撤并' },
    });
    expect(res.json()).toMatchObject({ status: 'closed', closedOn: '2026-06-30', closedReason: '单位撤并' });
    const list = (await app.inject({ method: 'GET', url: `/api/orgs?parent=${b.committee.id}` })).json();
    expect(list.items.map((o: { id: number }) => o.id)).not.toContain(empty.id);
  });

  it('answers 404 for an organisation that does not exist, in Chinese with English beside', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/orgs/999999' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({
      code: 'not_found',
      message: '组织不存在',
      messageEn: 'Organisation not found',
    });
  });

  it('publishes the OpenAPI document with every route described', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/orgs',
      '/api/orgs/{id}',
      '/api/orgs/{id}/move',
      '/api/members',
      '/api/households',
      '/api/places',
      '/api/stats/structure',
      '/api/health',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    expect(doc.paths['/api/orgs/{id}/move'].post.summary).toMatch(/子树/);
    expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({
      status: 'ok',
      database: target.name,
    });
  });
});
