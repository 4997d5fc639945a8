import type { NewMemberRow } from '../../db/schema.ts';
import type { OrgKind } from '../../domain/codes.ts';
import { todayIso } from '../../domain/dates.ts';
import { checkIdentity, checkMemberDates, normalizePhone } from '../../domain/members.ts';
import { CAN_HOLD_MEMBERS } from '../../domain/orgs.ts';
import { conflict, fieldError, invalid, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type ServiceContext, withTransaction } from '../context.ts';
import { findOrg } from '../orgs/repository.ts';
import { presentMember } from './presenter.ts';
import * as repo from './repository.ts';
import type { CreateMemberInput, MemberListQuery, UpdateMemberInput } from './schemas.ts';

/** A member who may see only their own record finds no other (404, as for any record out of scope). */
function checkOwn(ctx: ServiceContext, id: number) {
  if (ctx.scope === 'own' && ctx.actor?.memberId !== id) throw notFound('党员', 'Member');
}

export async function getMember(ctx: ServiceContext, id: number) {
  checkOwn(ctx, id);
  const m = await repo.findMember(ctx.db, ctx.countyId, id);
  if (!m) throw notFound('党员', 'Member');
  return presentMember(m);
}

/** The full ID number, phone and home address, for those allowed; every viewing is audited. */
export async function getUnmaskedIdentity(ctx: ServiceContext, id: number) {
  const m = await repo.findMember(ctx.db, ctx.countyId, id);
  if (!m) throw notFound('党员', 'Member');
  await recordAudit(ctx, { action: 'member.unmask', targetType: 'member', targetId: id });
  return { id: m.id, name: m.name, idNumber: m.id_number, phone: m.phone, address: m.address };
}

export async function listMembers(ctx: ServiceContext, query: MemberListQuery) {
  let underPath: string | undefined;
  if (query.under !== undefined) {
    const org = await findOrg(ctx.db, ctx.countyId, query.under);
    if (!org) throw notFound('组织', 'Organisation');
    underPath = org.path;
  }
  const { items, total } = await repo.listMembers(ctx.db, ctx.countyId, {
    ...(ctx.scope === 'own' && { memberId: ctx.actor?.memberId ?? -1 }),
    underPath,
    orgId: query.org,
    sector: query.sector,
    category: query.category,
    status: query.status,
    gender: query.gender,
    education: query.education,
    needy: query.needy,
    mobile: query.mobile,
    leaderRank: query.leaderRank,
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  const today = todayIso();
  return {
    items: items.map((m) => presentMember(m, today)),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** Checks a whole record (a new one, or an existing one with a patch applied) and gives the row to store. */
async function validate(ctx: ServiceContext, input: CreateMemberInput) {
  const identity = checkIdentity({
    idNumber: input.idNumber,
    birthDate: input.birthDate,
    gender: input.gender,
  });
  if (!identity.ok) throw fieldError(identity.problems);
  const problems = checkMemberDates(
    { birthDate: identity.value.birthDate, joinDate: input.joinDate, fullMemberDate: input.fullMemberDate },
    todayIso(),
  );
  let phone = input.phone || null;
  if (phone) {
    const p = normalizePhone(phone);
    if (p.ok) phone = p.value;
    else problems.push({ field: 'phone', message: p.message });
  }
  if (problems.length) throw fieldError(problems);
  const org = await findOrg(ctx.db, ctx.countyId, input.orgId);
  if (!org) throw invalid('orgId', '所在党组织不存在', 'the organisation does not exist');
  if (org.status !== 'active') throw invalid('orgId', `${org.name}已撤销`, `${org.name} is closed`);
  if (!CAN_HOLD_MEMBERS[org.kind as OrgKind]) {
    throw invalid(
      'orgId',
      `党员应编入党支部，${org.name}不是党支部`,
      `members belong to a branch; ${org.name} is not one`,
    );
  }
  return {
    org_id: org.id,
    name: input.name,
    gender: identity.value.gender,
    ethnicity: input.ethnicity ?? '汉族',
    birth_date: identity.value.birthDate,
    id_number: identity.value.idNumber,
    phone,
    education: input.education ?? null,
    address: input.address ?? null,
    category: input.category ?? 'full',
    status: input.status ?? 'normal',
    join_date: input.joinDate ?? null,
    full_member_date: input.fullMemberDate ?? null,
    occupation: input.occupation ?? null,
    is_needy: input.isNeedy ?? false,
    mobile_to: input.mobileTo ?? null,
    leader_rank: input.leaderRank ?? null,
    leader_unit: input.leaderUnit ?? null,
  } satisfies Omit<NewMemberRow, 'county_id'>;
}

const duplicateId = () =>
  conflict('该身份证号已登记在本县', 'this ID number is already registered in the county', 'idNumber');

export async function createMember(ctx: ServiceContext, input: CreateMemberInput) {
  const row = await validate(ctx, input);
  const id = await withTransaction(ctx.db, async (trx) => {
    if (await repo.findMemberIdByIdNumber(trx, ctx.countyId, row.id_number)) throw duplicateId();
    const newId = await repo.insertMember(trx, { ...row, county_id: ctx.countyId });
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'member.create', targetType: 'member', targetId: newId, details: { orgId: row.org_id } },
    );
    return newId;
  });
  return getMember(ctx, id);
}

export async function updateMember(ctx: ServiceContext, id: number, patch: UpdateMemberInput) {
  const current = await repo.findMember(ctx.db, ctx.countyId, id);
  if (!current) throw notFound('党员', 'Member');
  const merged: CreateMemberInput = {
    orgId: patch.orgId ?? current.org_id,
    name: patch.name ?? current.name,
    idNumber: patch.idNumber ?? current.id_number,
    // A new ID number brings its own birth date and gender unless they are given with it.
    gender: patch.gender ?? (patch.idNumber ? undefined : current.gender),
    birthDate: patch.birthDate ?? (patch.idNumber ? undefined : current.birth_date),
    ethnicity: patch.ethnicity ?? current.ethnicity,
    phone: patch.phone !== undefined ? patch.phone : current.phone,
    education: (patch.education !== undefined
      ? patch.education
      : current.education) as CreateMemberInput['education'],
    address: patch.address !== undefined ? patch.address : current.address,
    category: (patch.category ?? current.category) as CreateMemberInput['category'],
    status: (patch.status ?? current.status) as CreateMemberInput['status'],
    joinDate: patch.joinDate !== undefined ? patch.joinDate : current.join_date,
    fullMemberDate: patch.fullMemberDate !== undefined ? patch.fullMemberDate : current.full_member_date,
    occupation: patch.occupation !== undefined ? patch.occupation : current.occupation,
    isNeedy: patch.isNeedy ?? current.is_needy,
    mobileTo: patch.mobileTo !== undefined ? patch.mobileTo : current.mobile_to,
    leaderRank: (patch.leaderRank !== undefined
      ? patch.leaderRank
      : current.leader_rank) as CreateMemberInput['leaderRank'],
    leaderUnit: patch.leaderUnit !== undefined ? patch.leaderUnit : current.leader_unit,
  };
  const row = await validate(ctx, merged);
  await withTransaction(ctx.db, async (trx) => {
    const holder = await repo.findMemberIdByIdNumber(trx, ctx.countyId, row.id_number);
    if (holder !== undefined && holder !== id) throw duplicateId();
    await repo.updateMember(trx, ctx.countyId, id, row);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'member.update',
        targetType: 'member',
        targetId: id,
        details: { fields: Object.keys(patch) },
      },
    );
  });
  return getMember(ctx, id);
}
