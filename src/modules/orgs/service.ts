import { type Executor, reserveIds } from '../../db/ids.ts';
import type { OrgKind } from '../../domain/codes.ts';
import { CAN_HOLD_ORGS, checkMove } from '../../domain/orgs.ts';
import { pathOf } from '../../domain/tree.ts';
import { AppError, conflict, invalid, notFound, unknownRef } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type ServiceContext, withTransaction } from '../context.ts';
import { findPlaceInReach } from '../places/repository.ts';
import { presentOrg } from './presenter.ts';
import * as repo from './repository.ts';
import type { CloseOrgInput, CreateOrgInput, OrgListQuery, UpdateOrgInput } from './schemas.ts';

type Org = ReturnType<typeof presentOrg>;

async function requireOrg(ctx: ServiceContext, id: number) {
  const org = await repo.findOrg(ctx.db, ctx.countyId, id);
  if (!org) throw notFound('组织', 'Organisation');
  return org;
}

export async function getOrg(ctx: ServiceContext, id: number) {
  const org = await requireOrg(ctx, id);
  const counts = await repo.countsFor(ctx.db, ctx.countyId, org.id, org.path);
  return { ...presentOrg(org), counts };
}

export async function listOrgs(ctx: ServiceContext, query: OrgListQuery) {
  const underPath = query.under === undefined ? undefined : (await requireOrg(ctx, query.under)).path;
  const { items, total } = await repo.listOrgs(ctx.db, ctx.countyId, {
    parentId: query.parent,
    underPath,
    q: query.q,
    kind: query.kind,
    sector: query.sector,
    status: query.status,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: items.map(presentOrg), total, page: query.page, pageSize: query.pageSize };
}

export interface TreeNode extends Org {
  childCount: number;
  children: TreeNode[];
}

/** The tree from `rootId` (default: the county's root) down `depth` levels, for lazy loading. */
export async function getTree(
  ctx: ServiceContext,
  rootId: number | undefined,
  depth: number,
): Promise<TreeNode> {
  // Without a root: the user's own organisation, else the county's root.
  const start = rootId ?? ctx.actor?.orgId;
  const root =
    start === undefined ? await repo.findRootOrg(ctx.db, ctx.countyId) : await requireOrg(ctx, start);
  if (!root) throw notFound('根组织', 'Root organisation');
  const rows = await repo.subtree(ctx.db, ctx.countyId, root.path, depth);
  const byId = new Map<number, TreeNode>();
  for (const { child_count, ...row } of rows) {
    byId.set(row.id, { ...presentOrg(row), childCount: child_count ?? 0, children: [] });
  }
  for (const node of byId.values()) {
    if (node.id !== root.id && node.parentId !== null) byId.get(node.parentId)?.children.push(node);
  }
  const top = byId.get(root.id);
  if (!top) throw notFound('组织', 'Organisation');
  return top;
}

/** An organisation is placed within the user's own geography (places are read county-wide). */
async function checkPlace(db: Executor, countyId: number, placeId: number | null | undefined) {
  if (placeId == null) return;
  if (!(await findPlaceInReach(db, countyId, placeId))) throw unknownRef('placeId', '地点', 'the place');
}

export async function createOrg(ctx: ServiceContext, input: CreateOrgInput) {
  return withTransaction(ctx.db, async (trx) => {
    const parent = await repo.lockOrg(trx, ctx.countyId, input.parentId);
    if (!parent) throw invalid('parentId', '上级组织不存在', 'the parent organisation does not exist');
    if (parent.status !== 'active')
      throw invalid('parentId', '上级组织已撤销', 'the parent organisation is closed');
    if (!CAN_HOLD_ORGS[parent.kind as OrgKind]) {
      throw invalid(
        'parentId',
        `${parent.name}是党支部，不能设下级组织`,
        `${parent.name} is a branch and cannot hold organisations`,
      );
    }
    if (await repo.nameTaken(trx, ctx.countyId, input.name)) {
      throw conflict(`组织名称“${input.name}”已存在`, `an organisation named "${input.name}" exists`, 'name');
    }
    await checkPlace(trx, ctx.countyId, input.placeId);
    const [id] = await reserveIds(trx, 'orgs', 1);
    const created = await repo.insertOrg(trx, {
      county_id: ctx.countyId,
      id: id!,
      parent_id: parent.id,
      name: input.name,
      short_name: input.shortName ?? null,
      kind: input.kind,
      sector: input.sector,
      place_id: input.placeId ?? null,
      path: pathOf(parent.path, id!),
    });
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'org.create',
        targetType: 'org',
        targetId: id!,
        details: { name: input.name, parentId: parent.id },
      },
    );
    return presentOrg(created);
  });
}

export async function updateOrg(ctx: ServiceContext, id: number, input: UpdateOrgInput) {
  return withTransaction(ctx.db, (db) => updateOrgIn({ ...ctx, db }, id, input));
}

async function updateOrgIn(ctx: ServiceContext, id: number, input: UpdateOrgInput) {
  const org = await requireOrg(ctx, id);
  if (input.name !== undefined && (await repo.nameTaken(ctx.db, ctx.countyId, input.name, id))) {
    throw conflict(`组织名称“${input.name}”已存在`, `an organisation named "${input.name}" exists`, 'name');
  }
  if (
    input.kind !== undefined &&
    !CAN_HOLD_ORGS[input.kind] &&
    (await repo.activeChildCount(ctx.db, ctx.countyId, id)) > 0
  ) {
    throw invalid(
      'kind',
      `${org.name}有下级组织，不能改为党支部`,
      `${org.name} holds organisations and cannot become a branch`,
    );
  }
  await checkPlace(ctx.db, ctx.countyId, input.placeId);
  const updated = await repo.updateOrg(ctx.db, ctx.countyId, id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.shortName !== undefined && { short_name: input.shortName }),
    ...(input.kind !== undefined && { kind: input.kind }),
    ...(input.sector !== undefined && { sector: input.sector }),
    ...(input.placeId !== undefined && { place_id: input.placeId }),
  });
  await recordAudit(ctx, {
    action: 'org.update',
    targetType: 'org',
    targetId: id,
    details: { fields: Object.keys(input) },
  });
  return presentOrg(updated);
}

const MOVE_REFUSALS = {
  root: ['根组织不能移动', 'the root organisation cannot move'],
  cycle: [
    '不能移到自己或自己的下级组织之下',
    'cannot move an organisation under itself or its own descendant',
  ],
  parent_cannot_hold: [
    '目标上级是党支部，不能设下级组织',
    'the new parent is a branch and cannot hold organisations',
  ],
  parent_closed: ['目标上级组织已撤销', 'the new parent is closed'],
} as const;

/** Moves an organisation and its whole subtree under a new parent, in one transaction. */
export async function moveOrg(ctx: ServiceContext, id: number, newParentId: number) {
  return withTransaction(ctx.db, async (trx) => {
    const org = await repo.lockOrg(trx, ctx.countyId, id);
    if (!org) throw notFound('组织', 'Organisation');
    const parent = await repo.lockOrg(trx, ctx.countyId, newParentId);
    if (!parent) throw invalid('parentId', '目标上级组织不存在', 'the new parent does not exist');
    const refusal = checkMove(org, { ...parent, kind: parent.kind as OrgKind });
    if (refusal) {
      const [zh, en] = MOVE_REFUSALS[refusal];
      throw new AppError(refusal === 'cycle' ? 409 : 400, refusal, zh, en, 'parentId');
    }
    if (org.parent_id !== parent.id) {
      await repo.moveSubtree(trx, ctx.countyId, id, org.path, parent);
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: 'org.move',
          targetType: 'org',
          targetId: id,
          details: { from: org.parent_id, to: parent.id },
        },
      );
    }
    return presentOrg((await repo.findOrg(trx, ctx.countyId, id))!);
  });
}

/** Closes (撤销) an organisation; one that still holds active organisations or members is refused. */
export async function closeOrg(ctx: ServiceContext, id: number, input: CloseOrgInput) {
  return withTransaction(ctx.db, async (trx) => {
    const org = await repo.lockOrg(trx, ctx.countyId, id);
    if (!org) throw notFound('组织', 'Organisation');
    if (org.status === 'closed') throw conflict('该组织已撤销', 'the organisation is already closed');
    if (org.parent_id === null)
      throw invalid('id', '根组织不能撤销', 'the root organisation cannot be closed');
    const children = await repo.activeChildCount(trx, ctx.countyId, id);
    if (children > 0) {
      throw conflict(
        `还有${children}个下级组织，请先撤销或移走`,
        `${children} organisations still under it: close or move them first`,
      );
    }
    const members = await repo.partyMemberCount(trx, ctx.countyId, id);
    if (members > 0) {
      throw conflict(
        `还有${members}名党员，请先转出`,
        `${members} members still belong to it: transfer them first`,
      );
    }
    const closed = await repo.updateOrg(trx, ctx.countyId, id, {
      status: 'closed',
      closed_on: input.closedOn,
      closed_reason: input.reason,
    });
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'org.close', targetType: 'org', targetId: id, details: { reason: input.reason } },
    );
    return presentOrg(closed);
  });
}
