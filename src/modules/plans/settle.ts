import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { transition } from '../../domain/plan-workflow.ts';
import { recordAuditAlone } from '../audit/service.ts';
import { withTransaction } from '../context.ts';
import { countyToday, dayAfter } from './clock.ts';
import * as repo from './repository.ts';

export const SYSTEM_NAME = '系统';

/**
 * Takes effect (生效): every plan of the county whose public notice ended before `today` moves to
 * in force, as the system. Idempotent, and safe against itself: each plan is written only where it is
 * still at the version read, so two calls at once settle a plan once. There is no scheduler: reading
 * or listing plans and notices calls this first (with the reader's database handle, so it settles
 * what the reader sees); the CLI may call it with the owner's handle for the whole county.
 *
 * The plan is in force from the day after its notice's last day, whenever it is settled.
 * Returns the ids of the plans it moved.
 */
export async function settleNotices(
  db: Kysely<DB>,
  countyId: number,
  today = countyToday(),
): Promise<number[]> {
  return withTransaction(db, async (trx) => {
    const due = await repo.plansDueToTakeEffect(trx, countyId, today);
    const settled: number[] = [];
    for (const plan of due) {
      const result = transition(
        { status: plan.status, version: plan.version, noticeEndsOn: plan.notice_ends_on },
        'take_effect',
        null,
        { at: today, reason: '公示期满' },
      );
      if (!result.ok) continue;
      const inForceOn = dayAfter(plan.notice_ends_on!);
      const n = await repo.updateStatus(trx, countyId, plan.id, plan.version, {
        status: result.status,
        version: result.version,
        in_force_on: inForceOn,
      });
      if (!n) continue;
      const tasks = await repo.listTasks(trx, countyId, plan.id);
      await repo.insertEvent(trx, {
        county_id: countyId,
        plan_id: plan.id,
        user_id: null,
        user_name: SYSTEM_NAME,
        action: 'take_effect',
        from_status: result.event.from,
        to_status: result.event.to,
        reason: result.event.reason ?? null,
        snapshot: {
          title: plan.title,
          content: plan.content,
          tasks: tasks.map((t) => ({ what: t.what, target: t.target, dueOn: t.due_on })),
        },
      });
      await recordAuditAlone(
        trx,
        countyId,
        { username: 'system' },
        {
          action: 'plan.take_effect',
          targetType: 'plan',
          targetId: plan.id,
          details: { from: result.event.from, to: result.event.to, inForceOn, version: result.version },
        },
      );
      settled.push(plan.id);
    }
    return settled;
  });
}
