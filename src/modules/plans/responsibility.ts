import type { Scope } from '../../domain/access.ts';
import { pairingKind } from '../../domain/pairings.ts';
import type { PlanActor } from '../../domain/plan-workflow.ts';
import type { Actor } from '../context.ts';
import type { PairingSides } from './repository.ts';

/**
 * Who stands where towards a pairing's plan. The database has already narrowed what the actor sees
 * to their subtree; these rules decide, among what they see, who writes, who answers for the plan,
 * and who is the committee above it.
 */

/** Whether an ltree path lies at or below another. */
export const isWithin = (path: string, ancestor: string): boolean =>
  path === ancestor || path.startsWith(`${ancestor}.`);

/**
 * The grassroots party (work) committee above the pairing (基层党(工)委): the nearest organisation of
 * kind 党委 or 党工委 at or above the helped organisation, the county root excluded; the county root
 * itself when there is none between. Row-level security may hide the committee from an actor below
 * it; the repository then finds none and this falls back to the root, which such an actor is not
 * above either — so the answer to "is the actor above it" stays right.
 */
export function committeeAbovePath(s: PairingSides): string | null {
  if (!s.helped_org_path) return null;
  return s.committee_path ?? s.helped_org_path.split('.')[0]!;
}

const isHelperOrResponsibleMember = (actor: Actor, s: PairingSides) =>
  actor.memberId !== null &&
  (actor.memberId === s.helper_member_id || actor.memberId === s.responsible_member_id);

/**
 * The person who answers for the pairing (the kind's `responsible`): the helper member themself, the
 * member named responsible (a team leader), or — where the kind makes the helper branch's secretary
 * responsible (联点支部书记负责制) — a branch secretary of the helper organisation.
 */
export function isResponsible(actor: Actor, s: PairingSides): boolean {
  if (isHelperOrResponsibleMember(actor, s)) return true;
  const kind = pairingKind(s.pairing_kind);
  return (
    kind?.responsible === 'helper_branch_secretary' &&
    actor.role === 'branch_secretary' &&
    !!s.helper_org_path &&
    isWithin(s.helper_org_path, actor.orgPath)
  );
}

/** The actor's organisation is the committee above the pairing, or one of its ancestors. */
export function isCommitteeAbove(actor: Actor, s: PairingSides): boolean {
  const committee = committeeAbovePath(s);
  return committee !== null && isWithin(committee, actor.orgPath);
}

export const planActor = (actor: Actor, s: PairingSides & { created_by?: number | null }): PlanActor => ({
  role: actor.role,
  isDrafter: s.created_by != null && s.created_by === actor.userId,
  isResponsible: isResponsible(actor, s),
  isCommitteeAbove: isCommitteeAbove(actor, s),
  isHelperBranchSecretary:
    actor.role === 'branch_secretary' && !!s.helper_org_path && isWithin(s.helper_org_path, actor.orgPath),
});

/** A member ('own' scope) reads the plans of pairings they help, answer for, or are helped by. */
export function mayRead(actor: Actor, scope: Scope | undefined, s: PairingSides): boolean {
  if (scope !== 'own') return true;
  return (
    isHelperOrResponsibleMember(actor, s) ||
    (actor.memberId !== null && actor.memberId === s.helped_member_id)
  );
}

/**
 * Who may draft and edit a pairing's plan:
 * - 'own' scope (a member, a leader): only as the helper or the member named responsible;
 * - 'subtree' scope: the helper side's organisation in the actor's subtree (its secretary, the
 *   committee staff over it, the county), or the committee above the helped side drafting on its
 *   behalf, or the responsible person. The helped side reads the plan but does not write it.
 */
export function mayWrite(actor: Actor, scope: Scope | undefined, s: PairingSides): boolean {
  if (scope === 'own') return isHelperOrResponsibleMember(actor, s);
  if (scope !== 'subtree') return false;
  return (
    isResponsible(actor, s) ||
    isCommitteeAbove(actor, s) ||
    (!!s.helper_org_path && isWithin(s.helper_org_path, actor.orgPath))
  );
}
