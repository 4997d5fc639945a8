import { labelOf } from '../../domain/codes.ts';
import type { CheckRow, RectificationRow, RoundRow } from './repository.ts';
import {
  CHECK_STATUSES,
  CONCLUSIONS,
  METHODS,
  RECTIFICATION_STATUSES,
  type RectificationStatus,
  TARGET_TYPES,
} from './schemas.ts';

/** Rounds, checks and rectifications as the API shows them: camelCase, Chinese labels beside codes. */

const QUARTERS = ['', '第一季度', '第二季度', '第三季度', '第四季度'];
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : String(d));

export const rectificationStatus = (
  r: { status: 'open' | 'closed'; due_on: string },
  today: string,
): RectificationStatus => (r.status === 'closed' ? 'closed' : r.due_on < today ? 'overdue' : 'open');

export function presentRound(r: RoundRow) {
  return {
    id: r.id,
    year: r.year,
    quarter: r.quarter,
    quarterLabel: `${r.year}年${QUARTERS[r.quarter] ?? ''}`,
    title: r.title,
    orgId: r.org_id,
    orgName: r.org_name,
    dueOn: r.due_on,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: iso(r.created_at),
    progress: {
      items: r.items,
      planned: r.planned,
      done: r.done,
      withProblems: r.with_problems,
      openRectifications: r.open_rectifications,
      overdueRectifications: r.overdue_rectifications,
    },
  };
}

export function presentCheck(c: CheckRow) {
  const type = c.pairing_id === null ? 'org' : 'pairing';
  return {
    id: c.id,
    roundId: c.round_id,
    roundTitle: c.round_title,
    status: c.status,
    statusLabel: labelOf(CHECK_STATUSES, c.status),
    target: {
      type,
      typeLabel: labelOf(TARGET_TYPES, type),
      pairingId: c.pairing_id,
      pairingTitle: c.pairing_title,
      orgId: c.org_id,
      orgName: c.org_name,
      name: c.pairing_title ?? c.org_name,
    },
    township: c.township,
    assignedTo: c.assigned_to,
    assignedToName: c.assigned_to_name,
    method: c.method,
    methodLabel: labelOf(METHODS, c.method),
    checkedOn: c.checked_on,
    checkedBy: c.checked_by,
    checkedByName: c.checked_by_name,
    conclusion: c.conclusion,
    conclusionLabel: labelOf(CONCLUSIONS, c.conclusion),
    findings: c.findings,
    rectifications: { total: c.rect_total, open: c.rect_open, overdue: c.rect_overdue },
  };
}

export function presentRectification(r: RectificationRow, today: string) {
  const status = rectificationStatus(r, today);
  return {
    id: r.id,
    inspectionId: r.inspection_id,
    problem: r.problem,
    ownerOrgId: r.owner_org_id,
    ownerOrgName: r.owner_org_name,
    ownerTownship: r.owner_township,
    ownerUserId: r.owner_user_id,
    ownerName: r.owner_name,
    dueOn: r.due_on,
    status,
    statusLabel: labelOf(RECTIFICATION_STATUSES, status),
    overdue: status === 'overdue',
    evidence: r.evidence,
    closedOn: r.closed_on,
    closedBy: r.closed_by,
    closedByName: r.closed_by_name,
    check: {
      checkedOn: r.checked_on,
      method: r.method,
      methodLabel: labelOf(METHODS, r.method),
      targetName: r.target_name,
    },
  };
}
