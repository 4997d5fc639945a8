import { scopeOf } from '../../domain/access.ts';
import { labelOf } from '../../domain/codes.ts';
import { OPINIONS } from '../../domain/pairings.ts';
import { PLAN_STATUSES, type PlanStatus } from '../../domain/plan-workflow.ts';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type Actor, type ServiceContext, withTransaction } from '../context.ts';
import * as files from '../files/service.ts';
import { findOrg } from '../orgs/repository.ts';
import * as pairingsRepo from '../pairings/repository.ts';
import { getPairing } from '../pairings/service.ts';
import { countyToday } from '../plans/clock.ts';
import { iso } from '../plans/presenter.ts';
import * as plansRepo from '../plans/repository.ts';
import { mayRead } from '../plans/responsibility.ts';
import { settleNotices } from '../plans/settle.ts';
import { mayLog, requirePairing } from './pairing-rules.ts';
import * as repo from './repository.ts';
import {
  type AmendInput,
  CHECK_STATUSES,
  type CheckInput,
  type NoteInput,
  SIGNOFF_PARTIES,
  type SignoffInput,
  type SignoffParty,
} from './schemas.ts';

/**
 * The card and the register (卡册管理) [000]: the helping side keeps the register (册) — the year's
 * plan and tasks, progress notes, visits with photos; the helped side and its branch hold the card
 * (卡). Mid-year the county or the committee checks each task (督促检查); at year end the helped
 * party and its branch sign an opinion (签署意见), which closes the pairing's year: after that only the
 * county amends a sign-off, with a reason.
 */

const thisYear = () => Number(countyToday().slice(0, 4));

/** Plans whose tasks are final: approved by the county (审定), under notice or in force. */
const CHECKABLE: readonly PlanStatus[] = ['approved', 'in_notice', 'in_force'];

function actorOf(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new AppError(401, 'unauthenticated', '请先登录', 'please sign in');
  return ctx.actor;
}

/** The user's name as it is now, kept with what they record. */
const nameOf = async (ctx: ServiceContext, actor: Actor) =>
  (await plansRepo.displayName(ctx.db, ctx.countyId, actor.userId)) ?? actor.username;

const yearClosed = (year: number) =>
  new AppError(
    409,
    'year_closed',
    `${year}年度双方已签署意见，已办结，不能再修改（如需更正请联系县委组织部）`,
    `both parties have signed for ${year}: the year is closed (the county amends, with a reason)`,
  );

const isClosed = (signoffs: { party: string }[]) =>
  SIGNOFF_PARTIES.every((p) => signoffs.some((s) => s.party === p.code));

// Presenting ------------------------------------------------------------------------------------

const presentTask = (t: repo.TaskWithCheck) => ({
  id: t.id,
  seq: t.seq,
  what: t.what,
  target: t.target,
  dueOn: t.due_on,
  latestCheck:
    t.check_id === null
      ? null
      : {
          id: t.check_id,
          status: t.check_status!,
          statusLabel: labelOf(CHECK_STATUSES, t.check_status),
          comment: t.check_comment,
          checkedBy: t.checked_by,
          checkedByName: t.checked_by_name,
          checkedAt: iso(t.checked_at!),
        },
});

const presentNote = (n: repo.NoteRow) => ({
  id: n.id,
  pairingId: n.pairing_id,
  year: n.year,
  taskId: n.task_id,
  taskSeq: n.task_seq ?? null,
  text: n.text,
  writtenBy: n.written_by,
  writtenByName: n.written_by_name,
  writtenAt: iso(n.written_at),
});

const presentSignoff = (s: repo.SignoffRow) => ({
  pairingId: s.pairing_id,
  year: s.year,
  party: s.party,
  partyLabel: labelOf(SIGNOFF_PARTIES, s.party),
  opinion: s.opinion,
  opinionLabel: labelOf(OPINIONS, s.opinion),
  comment: s.comment,
  onBehalf: s.on_behalf,
  recordedBy: s.recorded_by,
  recordedByName: s.recorded_by_name ?? null,
  recordedAt: iso(s.recorded_at),
  amendedReason: s.amended_reason,
  amendedBy: s.amended_by,
  amendedAt: s.amended_at ? iso(s.amended_at) : null,
});

const photoUrl = (id: number) => `/api/photos/${id}`;

// The register (册) ----------------------------------------------------------------------------

/**
 * A pairing's year as the register holds it: the pairing with its compliance, the year's plan and
 * tasks each with its latest mid-year check, the progress notes, the year's visits with their photos,
 * and the sign-offs. Whoever reads the pairing reads its register (and its card).
 */
export async function getRegister(ctx: ServiceContext, pairingId: number, year = thisYear()) {
  const today = countyToday();
  const asOf = year < Number(today.slice(0, 4)) ? `${year}-12-31` : today;
  const { visits: allVisits, ...pairing } = await getPairing(ctx, pairingId, year, asOf);
  await settleNotices(ctx.db, ctx.countyId, today);
  const planId = await plansRepo.planIdForYear(ctx.db, ctx.countyId, pairingId, year);
  const plan = planId === undefined ? undefined : await plansRepo.findPlan(ctx.db, ctx.countyId, planId);
  const visits = allVisits.filter((v) => v.visitedOn.startsWith(`${year}-`));
  const [tasks, notes, signoffs, photos] = await Promise.all([
    plan ? repo.tasksWithLatestCheck(ctx.db, ctx.countyId, plan.id) : [],
    repo.notesOf(ctx.db, ctx.countyId, pairingId, year),
    repo.signoffsOf(ctx.db, ctx.countyId, pairingId, year),
    repo.photosOfVisits(
      ctx.db,
      ctx.countyId,
      visits.map((v) => v.id),
    ),
  ]);
  return {
    year,
    pairing,
    plan: plan
      ? {
          id: plan.id,
          title: plan.title,
          status: plan.status,
          statusLabel: labelOf(PLAN_STATUSES, plan.status),
          inForceOn: plan.in_force_on,
        }
      : null,
    tasks: tasks.map(presentTask),
    notes: notes.map(presentNote),
    visits: visits.map((v) => ({
      ...v,
      photos: photos
        .filter((p) => p.visit_id === v.id)
        .map((p) => ({ id: p.id, visitId: p.visit_id, mime: p.mime, size: p.size, url: photoUrl(p.id) })),
    })),
    signoffs: signoffs.map(presentSignoff),
    closed: isClosed(signoffs),
    signableParties: isClosed(signoffs) ? [] : await signableParties(ctx, pairingId, year, signoffs),
  };
}

/**
 * The parties the user may sign for now, by the same rules the sign-off itself checks, so a page
 * offers only what the server will take (a helper never sees the helped side's form).
 */
async function signableParties(
  ctx: ServiceContext,
  pairingId: number,
  year: number,
  signed: readonly { party: string }[],
): Promise<SignoffParty[]> {
  if (!ctx.actor || !scopeOf(ctx.actor.role, 'signoff.write')) return [];
  const p = await requirePairing(ctx, pairingId);
  const parties: SignoffParty[] = [];
  for (const { code } of SIGNOFF_PARTIES) {
    if (signed.some((s) => s.party === code)) continue;
    try {
      checkSignoffYear(p, year);
      await signerFor(ctx, p, code);
      parties.push(code);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
  return parties;
}

export type RegisterData = Awaited<ReturnType<typeof getRegister>>;

/** The pairing's row (404 when the user does not see it) and whether the user may write its register. */
async function writablePairing(ctx: ServiceContext, pairingId: number) {
  const p = await requirePairing(ctx, pairingId);
  const helperVisible = (await findOrg(ctx.db, ctx.countyId, p.helper_org_id)) !== undefined;
  if (!mayLog(ctx, p, helperVisible)) {
    throw new AppError(
      403,
      'forbidden',
      `只有帮扶方（或其上级党组织）可以填写“${p.title}”的帮扶册`,
      `only the helping side (or the committees over it) writes the register of "${p.title}"`,
    );
  }
  return p;
}

/** A progress note (进展情况) on the register, on one of the year's tasks or on the pairing. */
export async function addNote(ctx: ServiceContext, pairingId: number, input: NoteInput) {
  const actor = actorOf(ctx);
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const p = await writablePairing(c, pairingId);
    let year = input.year ?? thisYear();
    if (input.taskId !== undefined) {
      const task = await repo.findTask(db, ctx.countyId, input.taskId);
      if (!task || task.pairing_id !== pairingId) {
        throw invalid('taskId', '该任务不是本结对方案中的任务', "the task is not one of this pairing's plan");
      }
      if (input.year !== undefined && input.year !== task.year) {
        throw invalid('year', `该任务属于${task.year}年度方案`, `the task belongs to the ${task.year} plan`);
      }
      year = task.year;
    }
    if (year < p.year_from || year > p.year_to) {
      throw invalid(
        'year',
        `结对期限为${p.year_from}—${p.year_to}年，不含${year}年`,
        `the pairing runs ${p.year_from}–${p.year_to}, not in ${year}`,
      );
    }
    if (year > thisYear()) throw invalid('year', `${year}年度尚未开始`, `${year} has not begun`);
    await repo.lockPairing(db, ctx.countyId, pairingId);
    if (isClosed(await repo.signoffsOf(db, ctx.countyId, pairingId, year))) throw yearClosed(year);
    const id = await repo.insertNote(db, {
      county_id: ctx.countyId,
      pairing_id: pairingId,
      year,
      task_id: input.taskId ?? null,
      text: input.text,
      written_by: actor.userId,
      written_by_name: await nameOf(c, actor),
    });
    await recordAudit(c, {
      action: 'register.note',
      targetType: 'pairing',
      targetId: pairingId,
      details: { noteId: id, year, taskId: input.taskId ?? null },
    });
    const notes = await repo.notesOf(db, ctx.countyId, pairingId, year);
    return presentNote(notes.find((n) => n.id === id)!);
  });
}

// Mid-year check (年中督促检查) ----------------------------------------------------------------

/**
 * The mid-year check of a plan: one status (and comment) per task, each kept as a check of its own
 * (the latest is the task's standing). By the county or a committee (check.write); on a plan the
 * county has approved, whose pairing's year is not closed. All items or none.
 */
export async function recordChecks(ctx: ServiceContext, planId: number, input: CheckInput) {
  const actor = actorOf(ctx);
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const plan = await plansRepo.findPlan(db, ctx.countyId, planId);
    if (!plan || !mayRead(actor, ctx.scope, plan)) throw notFound('方案', 'Plan');
    const taskIds = new Set(await repo.taskIdsOfPlan(db, ctx.countyId, planId));
    const seen = new Set<number>();
    input.items.forEach((item, i) => {
      if (!taskIds.has(item.taskId)) {
        throw invalid(
          `items.${i}.taskId`,
          `第${i + 1}项：任务${item.taskId}不是该方案的任务`,
          `item ${i + 1}: task ${item.taskId} is not a task of this plan`,
        );
      }
      if (seen.has(item.taskId)) {
        throw invalid(
          `items.${i}.taskId`,
          `第${i + 1}项：任务${item.taskId}重复`,
          `item ${i + 1}: task ${item.taskId} is given twice`,
        );
      }
      seen.add(item.taskId);
    });
    if (plan.year > thisYear()) {
      throw invalid('planId', `${plan.year}年度尚未开始`, `${plan.year} has not begun`);
    }
    if (!CHECKABLE.includes(plan.status)) {
      throw new AppError(
        409,
        'wrong_state',
        `方案${labelOf(PLAN_STATUSES, plan.status)}，经县委组织部审定后才能检查`,
        'the plan is checked once the county has approved it',
      );
    }
    await repo.lockPairing(db, ctx.countyId, plan.pairing_id);
    if (isClosed(await repo.signoffsOf(db, ctx.countyId, plan.pairing_id, plan.year))) {
      throw yearClosed(plan.year);
    }
    const name = await nameOf(c, actor);
    await repo.insertChecks(
      db,
      input.items.map((item) => ({
        county_id: ctx.countyId,
        task_id: item.taskId,
        status: item.status,
        comment: item.comment || null,
        checked_by: actor.userId,
        checked_by_name: name,
      })),
    );
    await recordAudit(c, {
      action: 'plan.check',
      targetType: 'plan',
      targetId: planId,
      details: {
        pairingId: plan.pairing_id,
        year: plan.year,
        items: input.items.map((i) => ({ taskId: i.taskId, status: i.status })),
      },
    });
    const tasks = await repo.tasksWithLatestCheck(db, ctx.countyId, planId);
    return { planId, year: plan.year, checked: input.items.length, tasks: tasks.map(presentTask) };
  });
}

// Year-end sign-off (年末签署意见) ---------------------------------------------------------------

const notSigner = (zh: string, en: string) => new AppError(403, 'not_signer', zh, en, 'party');

/**
 * Who signs for a party, and whether it is on the party's behalf:
 * - 'helped': the helped member themself; for a household, an organisation, or a helped member
 *   without an account of their own, a branch secretary or staff whose subtree holds the helped
 *   organisation records it on the party's behalf (marked so);
 * - 'helped_branch': a branch secretary or staff whose subtree holds the helped organisation.
 * The helping side never signs for the side it helps.
 */
async function signerFor(ctx: ServiceContext, p: pairingsRepo.PairingRow, party: SignoffParty) {
  const actor = actorOf(ctx);
  if (party === 'helped' && actor.memberId !== null && actor.memberId === p.helped_member_id) {
    return { onBehalf: false };
  }
  const helpedVisible = (await findOrg(ctx.db, ctx.countyId, p.helped_org_id)) !== undefined;
  if (ctx.scope !== 'subtree' || !helpedVisible) {
    throw notSigner(
      party === 'helped'
        ? '只有被帮扶对象本人或其所在党支部（上级党组织）可以签署'
        : '只有被帮扶方所在党支部或其上级党组织可以签署',
      party === 'helped'
        ? 'only the helped party, or its branch or the committees over it, sign for it'
        : "only the helped party's branch or the committees over it sign for the branch",
    );
  }
  if (party === 'helped_branch') return { onBehalf: false };
  if (
    p.helped_member_id !== null &&
    (await repo.memberHasAccount(ctx.db, ctx.countyId, p.helped_member_id))
  ) {
    throw notSigner(
      '被帮扶党员有本人账号，须由本人签署意见',
      'the helped member has an account of their own and signs themself',
    );
  }
  return { onBehalf: true };
}

function checkSignoffYear(p: pairingsRepo.PairingRow, year: number) {
  if (year < p.year_from || year > p.year_to) {
    throw invalid(
      'year',
      `结对期限为${p.year_from}—${p.year_to}年，不含${year}年`,
      `the pairing runs ${p.year_from}–${p.year_to}, not in ${year}`,
    );
  }
  if (year > thisYear()) {
    throw invalid('year', `${year}年度尚未到来，不能签署意见`, `${year} has not come yet`);
  }
}

export async function signOff(ctx: ServiceContext, pairingId: number, input: SignoffInput) {
  const actor = actorOf(ctx);
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const p = await requirePairing(c, pairingId);
    checkSignoffYear(p, input.year);
    const { onBehalf } = await signerFor(c, p, input.party);
    await repo.lockPairing(db, ctx.countyId, pairingId);
    const before = await repo.signoffsOf(db, ctx.countyId, pairingId, input.year);
    if (isClosed(before)) throw yearClosed(input.year);
    const signed = () =>
      conflict(
        `${labelOf(SIGNOFF_PARTIES, input.party)}已签署${input.year}年度意见`,
        `the ${input.party} party has signed for ${input.year} already`,
        'party',
      );
    if (before.some((s) => s.party === input.party)) throw signed();
    const inserted = await repo.insertSignoff(db, {
      county_id: ctx.countyId,
      pairing_id: pairingId,
      year: input.year,
      party: input.party,
      opinion: input.opinion,
      comment: input.comment || null,
      recorded_by: actor.userId,
      recorded_by_name: await nameOf(c, actor),
      on_behalf: onBehalf,
    });
    if (!inserted) throw signed();
    const after = await repo.signoffsOf(db, ctx.countyId, pairingId, input.year);
    const closed = isClosed(after);
    await recordAudit(c, {
      action: 'signoff.create',
      targetType: 'pairing',
      targetId: pairingId,
      details: { year: input.year, party: input.party, opinion: input.opinion, onBehalf, closed },
    });
    return { ...presentSignoff(after.find((s) => s.party === input.party)!), closed };
  });
}

/** The county corrects a sign-off (signoff.amend), with a reason; the before and after are audited. */
export async function amendSignoff(
  ctx: ServiceContext,
  pairingId: number,
  year: number,
  party: SignoffParty,
  input: AmendInput,
) {
  const actor = actorOf(ctx);
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    await requirePairing(c, pairingId);
    await repo.lockPairing(db, ctx.countyId, pairingId);
    const before = (await repo.signoffsOf(db, ctx.countyId, pairingId, year)).find((s) => s.party === party);
    if (!before) throw notFound('签署意见', 'Sign-off');
    const comment = input.comment === undefined ? before.comment : input.comment || null;
    await repo.amendSignoff(
      db,
      { countyId: ctx.countyId, pairingId, year, party },
      { opinion: input.opinion, comment, amended_reason: input.reason, amended_by: actor.userId },
    );
    const all = await repo.signoffsOf(db, ctx.countyId, pairingId, year);
    const after = all.find((s) => s.party === party)!;
    await recordAudit(c, {
      action: 'signoff.amend',
      targetType: 'pairing',
      targetId: pairingId,
      details: {
        year,
        party,
        reason: input.reason,
        before: { opinion: before.opinion, comment: before.comment, amendedReason: before.amended_reason },
        after: { opinion: after.opinion, comment: after.comment },
      },
    });
    return { ...presentSignoff(after), closed: isClosed(all) };
  });
}

// Photos of a visit ----------------------------------------------------------------------------

/**
 * Whoever may log a visit's pairings may add its photos: the visit must be in sight (404) and every
 * pairing it counts for must let the user log it (403), as for editing the visit.
 */
export async function checkMayAddPhoto(ctx: ServiceContext, visitId: number) {
  const visit = await pairingsRepo.findVisit(ctx.db, ctx.countyId, visitId);
  if (!visit) throw notFound('活动记录', 'Visit');
  const pairingIds = await pairingsRepo.visitPairingIds(ctx.db, ctx.countyId, visitId);
  if (pairingIds.length === 0) throw notFound('活动记录', 'Visit');
  for (const id of pairingIds) {
    const p = await requirePairing(ctx, id);
    const helperVisible = (await findOrg(ctx.db, ctx.countyId, p.helper_org_id)) !== undefined;
    if (!mayLog(ctx, p, helperVisible)) {
      throw new AppError(
        403,
        'forbidden',
        '无权为该活动记录添加照片',
        'you may not add photos to this visit',
      );
    }
  }
}

export interface NewPhoto {
  /** The re-encoded image (files/image.ts), never the uploaded bytes. */
  content: Buffer;
  mime: string;
}

/** Keeps the photo's file and its row in one transaction, with the audit record. */
export async function addPhoto(ctx: ServiceContext, visitId: number, photo: NewPhoto) {
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    await checkMayAddPhoto(c, visitId);
    const size = photo.content.length;
    const storedName = await files.storeVisitPhoto(c, visitId, photo.content, photo.mime);
    const id = await repo.insertPhoto(db, {
      county_id: ctx.countyId,
      visit_id: visitId,
      stored_name: storedName,
      mime: photo.mime,
      size,
    });
    await recordAudit(c, {
      action: 'visit.photo.add',
      targetType: 'visit',
      targetId: visitId,
      details: { photoId: id, mime: photo.mime, size },
    });
    return { id, visitId, mime: photo.mime, size, url: photoUrl(id) };
  });
}

/**
 * A photo for whoever sees its visit (row-level security: the visit's pairings in the user's
 * subtree); a member sees the photos of the pairings that are their own.
 */
export async function getPhoto(ctx: ServiceContext, photoId: number) {
  const photo = await repo.findPhoto(ctx.db, ctx.countyId, photoId);
  if (!photo) throw notFound('照片', 'Photo');
  if (ctx.scope === 'own') {
    let own = false;
    for (const id of await pairingsRepo.visitPairingIds(ctx.db, ctx.countyId, photo.visit_id)) {
      try {
        await requirePairing(ctx, id);
        own = true;
        break;
      } catch (err) {
        if (!(err instanceof AppError && err.status === 404)) throw err;
      }
    }
    if (!own) throw notFound('照片', 'Photo');
  }
  return photo;
}

/** A photo's bytes (kept in the database), for whoever may see the photo. */
export async function getPhotoFile(ctx: ServiceContext, photoId: number) {
  const photo = await getPhoto(ctx, photoId);
  const file = await files.readVisitPhoto(ctx, photo.stored_name);
  if (!file) throw notFound('照片', 'Photo');
  return { id: photo.id, contentType: file.contentType, content: file.content };
}
