import type { OrgKind } from './codes.ts';
import { moveMakesCycle } from './tree.ts';

/** Committees and general branches hold other organisations; branches hold members only. */
export const CAN_HOLD_ORGS: Record<OrgKind, boolean> = {
  party_committee: true,
  working_committee: true,
  general_branch: true,
  branch: false,
  joint_branch: false,
  temporary_branch: false,
};

export type MoveRefusal = 'root' | 'cycle' | 'parent_cannot_hold' | 'parent_closed';

/** Why a move of `node` under `newParent` must be refused, or null if it may go ahead. */
export function checkMove(
  node: { path: string; parent_id: number | null },
  newParent: { path: string; kind: OrgKind; status: string },
): MoveRefusal | null {
  if (node.parent_id === null) return 'root';
  if (moveMakesCycle(node.path, newParent.path)) return 'cycle';
  if (!CAN_HOLD_ORGS[newParent.kind]) return 'parent_cannot_hold';
  if (newParent.status !== 'active') return 'parent_closed';
  return null;
}

/** Members belong to branches (党支部, 联合党支部, 临时党支部), never directly to a committee. */
export const CAN_HOLD_MEMBERS: Record<OrgKind, boolean> = {
  party_committee: false,
  working_committee: false,
  general_branch: false,
  branch: true,
  joint_branch: true,
  temporary_branch: true,
};
