import type { Executor } from '../../db/ids.ts';
import { pairingKind } from '../../domain/pairings.ts';
import type { PlanNotice } from '../../domain/plan-workflow.ts';
import type { PairingSides, TaskRow } from '../plans/repository.ts';
import { buildNoticeBody } from './masking.ts';
import * as repo from './repository.ts';

/**
 * Opens the public notice (公示) of a plan just approved: a snapshot of the plan as it stands, with
 * personal data masked, posted at the helped organisation, for the dates the workflow gave. Runs in
 * the approving user's transaction, so the notice exists exactly when the plan is in notice.
 */
export async function openNotice(
  db: Executor,
  countyId: number,
  plan: PairingSides & { id: number; year: number; title: string; content: string },
  tasks: TaskRow[],
  notice: PlanNotice,
) {
  const kind = pairingKind(plan.pairing_kind);
  const names = plan.helped_org_path ? await repo.privateNamesUnder(db, countyId, plan.helped_org_path) : [];
  let helped: string | null = null;
  if (plan.helped_household_id !== null) {
    helped = (await repo.householdHead(db, countyId, plan.helped_household_id)) ?? null;
  } else if (plan.helped_member_id !== null) {
    helped = (await repo.memberName(db, countyId, plan.helped_member_id)) ?? null;
  }
  const body = buildNoticeBody(
    {
      kind: plan.pairing_kind,
      kindLabel: kind?.zh ?? plan.pairing_kind,
      planName: kind?.plan.zh ?? '工作方案',
      year: plan.year,
      // The usual form of a notice's title: 关于…的公示.
      title: /^关于.*公示$/.test(plan.title) ? plan.title : `关于${plan.title}的公示`,
      content: plan.content,
      tasks: tasks.map((t) => ({ seq: t.seq, what: t.what, target: t.target, dueOn: t.due_on })),
      helper: plan.helper_member_name ?? plan.helper_org_name ?? plan.pairing_title,
      helped,
      place: plan.helped_org_name ?? plan.pairing_title,
      startsOn: notice.startsOn,
      endsOn: notice.endsOn,
    },
    names,
  );
  return repo.insertNotice(db, {
    county_id: countyId,
    plan_id: plan.id,
    org_id: plan.helped_org_id,
    title: body.title,
    body,
    starts_on: notice.startsOn,
    ends_on: notice.endsOn,
  });
}
