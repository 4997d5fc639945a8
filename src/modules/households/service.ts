import type { NewHouseholdRow } from '../../db/schema.ts';
import {
  HOUSEHOLD_CATEGORIES,
  type HouseholdCategory,
  labelOf,
  NEEDY_HOUSEHOLD_CATEGORIES,
  type OrgKind,
} from '../../domain/codes.ts';
import { parseIdNumber } from '../../domain/idcard.ts';
import { maskIdNumber, maskPhone } from '../../domain/masking.ts';
import { normalizePhone } from '../../domain/members.ts';
import { CAN_HOLD_MEMBERS } from '../../domain/orgs.ts';
import { conflict, fieldError, invalid, notFound, unknownRef } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type ServiceContext, withTransaction } from '../context.ts';
import { findOrg } from '../orgs/repository.ts';
import { findPlace, findPlaceInReach } from '../places/repository.ts';
import * as repo from './repository.ts';
import type { CreateHouseholdInput, HouseholdListQuery, UpdateHouseholdInput } from './schemas.ts';

export const presentHousehold = (h: repo.HouseholdRepoRow) => ({
  id: h.id,
  orgId: h.org_id,
  orgName: h.org_name,
  villageId: h.village_id,
  villageName: h.village_name,
  groupId: h.group_id,
  groupName: h.group_name,
  headName: h.head_name,
  headIdNumber: maskIdNumber(h.head_id_number),
  phone: maskPhone(h.phone),
  size: h.size,
  category: h.category,
  categoryLabel: labelOf(HOUSEHOLD_CATEGORIES, h.category),
  isNeedy: NEEDY_HOUSEHOLD_CATEGORIES.includes(h.category as HouseholdCategory),
  address: h.address,
  notes: h.notes,
});

export async function getHousehold(ctx: ServiceContext, id: number) {
  const h = await repo.findHousehold(ctx.db, ctx.countyId, id);
  if (!h) throw notFound('农户', 'Household');
  return presentHousehold(h);
}

export async function listHouseholds(ctx: ServiceContext, query: HouseholdListQuery) {
  let underPath: string | undefined;
  if (query.under !== undefined) {
    const org = await findOrg(ctx.db, ctx.countyId, query.under);
    if (!org) throw notFound('组织', 'Organisation');
    underPath = org.path;
  }
  const { items, total } = await repo.listHouseholds(ctx.db, ctx.countyId, {
    underPath,
    villageId: query.village,
    category: query.category,
    needy: query.needy,
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: items.map(presentHousehold), total, page: query.page, pageSize: query.pageSize };
}

/** A household lives in a 行政村/社区 and, optionally, one of its 村民小组; a branch answers for it. */
async function validate(ctx: ServiceContext, input: CreateHouseholdInput, selfId?: number) {
  // Places are read county-wide; the village must lie in the user's own geography, and one that
  // does not is answered like one that does not exist, without its name.
  const village = await findPlaceInReach(ctx.db, ctx.countyId, input.villageId);
  if (!village) throw unknownRef('villageId', '行政村或社区', 'the village or community');
  if (!['village', 'community'].includes(village.kind)) {
    throw invalid('villageId', '请选择行政村或社区', 'choose an administrative village or community');
  }
  if (input.groupId != null) {
    const group = await findPlace(ctx.db, ctx.countyId, input.groupId);
    if (!group || group.kind !== 'group' || group.parent_id !== village.id) {
      throw invalid(
        'groupId',
        `村民小组不属于${village.name}`,
        `the villager group is not in ${village.name}`,
      );
    }
  }
  let orgId = input.orgId;
  if (orgId === undefined) {
    const branch = await repo.findVillageBranch(ctx.db, ctx.countyId, village.id);
    if (!branch)
      throw invalid(
        'orgId',
        `${village.name}没有党支部，请指定负责的党组织`,
        `no branch in ${village.name}: give orgId`,
      );
    orgId = branch.id;
  } else {
    const org = await findOrg(ctx.db, ctx.countyId, orgId);
    if (!org) throw unknownRef('orgId', '党组织', 'the organisation');
    if (org.status !== 'active') throw invalid('orgId', `${org.name}已撤销`, `${org.name} is closed`);
    if (!CAN_HOLD_MEMBERS[org.kind as OrgKind]) {
      throw invalid(
        'orgId',
        `农户应由党支部负责，${org.name}不是党支部`,
        `a branch answers for a household; ${org.name} is not one`,
      );
    }
  }
  let headId: string | null = null;
  if (input.headIdNumber) {
    const id = parseIdNumber(input.headIdNumber);
    if (!id.ok) throw fieldError([{ field: 'headIdNumber', message: id.message }]);
    headId = id.value.idNumber;
    if (await repo.headIdTaken(ctx.db, ctx.countyId, headId, selfId)) {
      throw conflict('该户主身份证号已登记', 'a household with this head ID number exists', 'headIdNumber');
    }
  }
  let phone: string | null = null;
  if (input.phone) {
    const p = normalizePhone(input.phone);
    if (!p.ok) throw fieldError([{ field: 'phone', message: p.message }]);
    phone = p.value;
  }
  return {
    org_id: orgId,
    village_id: village.id,
    group_id: input.groupId ?? null,
    head_name: input.headName,
    head_id_number: headId,
    phone,
    size: input.size ?? 1,
    category: input.category,
    address: input.address ?? null,
    notes: input.notes ?? null,
  } satisfies Omit<NewHouseholdRow, 'county_id'>;
}

export async function createHousehold(ctx: ServiceContext, input: CreateHouseholdInput) {
  const row = await validate(ctx, input);
  const id = await withTransaction(ctx.db, async (db) => {
    const newId = await repo.insertHousehold(db, { ...row, county_id: ctx.countyId });
    await recordAudit(
      { ...ctx, db },
      { action: 'household.create', targetType: 'household', targetId: newId },
    );
    return newId;
  });
  return getHousehold(ctx, id);
}

export async function updateHousehold(ctx: ServiceContext, id: number, patch: UpdateHouseholdInput) {
  const h = await repo.findHousehold(ctx.db, ctx.countyId, id);
  if (!h) throw notFound('农户', 'Household');
  const keep = <K extends keyof UpdateHouseholdInput, V>(k: K, current: V) =>
    patch[k] !== undefined ? patch[k] : current;
  const row = await validate(
    ctx,
    {
      villageId: patch.villageId ?? h.village_id,
      groupId: keep('groupId', patch.villageId && patch.villageId !== h.village_id ? null : h.group_id) as
        | number
        | null,
      // A household moved to another village passes to that village's branch unless one is named.
      orgId:
        patch.orgId ??
        (patch.villageId !== undefined && patch.villageId !== h.village_id ? undefined : h.org_id),
      headName: patch.headName ?? h.head_name,
      headIdNumber: keep('headIdNumber', h.head_id_number) as string | null,
      phone: keep('phone', h.phone) as string | null,
      size: patch.size ?? h.size,
      category: (patch.category ?? h.category) as HouseholdCategory,
      address: keep('address', h.address) as string | null,
      notes: keep('notes', h.notes) as string | null,
    },
    id,
  );
  await withTransaction(ctx.db, async (db) => {
    await repo.updateHousehold(db, ctx.countyId, id, row);
    await recordAudit(
      { ...ctx, db },
      {
        action: 'household.update',
        targetType: 'household',
        targetId: id,
        details: { fields: Object.keys(patch) },
      },
    );
  });
  return getHousehold(ctx, id);
}
