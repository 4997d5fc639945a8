/**
 * Who may do what: one table, role × action → scope. Every route names its action; the server
 * checks this table before the use case runs, and the database's row-level security keeps every
 * query inside the user's subtree whatever the code does.
 *
 * Scopes:
 * - 'subtree': anything within the user's organisation and below it;
 * - 'own':     only records about the user themself (a member's own record and pairings);
 * - absent:    not allowed (403).
 */
export const ROLES = ['county_admin', 'committee_staff', 'branch_secretary', 'member', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  county_admin: { zh: '县委组织部管理员', en: 'County administrator' },
  committee_staff: { zh: '党(工)委工作人员', en: 'Committee staff' },
  branch_secretary: { zh: '党支部书记', en: 'Branch secretary' },
  member: { zh: '党员', en: 'Member' },
  auditor: { zh: '审计员（只读）', en: 'Auditor (read-only)' },
};

export const ACTIONS = [
  'org.read',
  'org.write',
  'place.read',
  'place.write',
  'member.read',
  'member.write',
  'member.unmask',
  'household.read',
  'household.write',
  'stats.read',
  'import.run',
  'export.run',
  'audit.read',
  // Walking the audit trail's hash chain for tampering (GET /api/audit/verify).
  'audit.verify',
  'user.read',
  'user.manage',
  // 三联共建 (pairings, plans, visits, notices, card and register)
  'pairing.read',
  'pairing.write',
  'visit.write',
  'plan.read',
  'plan.write',
  'plan.review',
  'plan.approve',
  'notice.read',
  'notice.answer',
  'check.write',
  'signoff.write',
  'signoff.amend',
  'report.read',
  'rules.manage',
  // 督查考评 (checks and rectifications, assessment, ledgers)
  'inspection.read',
  'inspection.write',
  'rectification.close',
  'assessment.read',
  'assessment.manage',
  'assessment.decide',
  'ledger.export',
] as const;
export type Action = (typeof ACTIONS)[number];
export type Scope = 'subtree' | 'own';

type Grants = Partial<Record<Action, Scope>>;

const READ_ALL: Grants = {
  'org.read': 'subtree',
  'place.read': 'subtree',
  'member.read': 'subtree',
  'household.read': 'subtree',
  'stats.read': 'subtree',
  'pairing.read': 'subtree',
  'plan.read': 'subtree',
  'notice.read': 'subtree',
  'report.read': 'subtree',
  'inspection.read': 'subtree',
  'assessment.read': 'subtree',
};

//                       role ×  action            → scope
export const PERMISSIONS: Record<Role, Grants> = {
  county_admin: {
    ...READ_ALL,
    'org.write': 'subtree',
    'place.write': 'subtree',
    'member.write': 'subtree',
    'member.unmask': 'subtree',
    'household.write': 'subtree',
    'import.run': 'subtree',
    'export.run': 'subtree',
    'audit.read': 'subtree',
    'audit.verify': 'subtree',
    'user.read': 'subtree',
    'user.manage': 'subtree',
    'pairing.write': 'subtree',
    'visit.write': 'subtree',
    'plan.write': 'subtree',
    'plan.review': 'subtree',
    'plan.approve': 'subtree',
    'notice.answer': 'subtree',
    'check.write': 'subtree',
    'signoff.write': 'subtree',
    'signoff.amend': 'subtree',
    'rules.manage': 'subtree',
    'inspection.write': 'subtree',
    'rectification.close': 'subtree',
    'assessment.manage': 'subtree',
    'assessment.decide': 'subtree',
    'ledger.export': 'subtree',
  },
  committee_staff: {
    ...READ_ALL,
    'org.write': 'subtree',
    'member.write': 'subtree',
    'member.unmask': 'subtree',
    'household.write': 'subtree',
    'import.run': 'subtree',
    'user.read': 'subtree',
    'pairing.write': 'subtree',
    'visit.write': 'subtree',
    'plan.write': 'subtree',
    'plan.review': 'subtree',
    'notice.answer': 'subtree',
    'check.write': 'subtree',
    'signoff.write': 'subtree',
    'inspection.write': 'subtree',
    'rectification.close': 'subtree',
    'ledger.export': 'subtree',
  },
  branch_secretary: {
    ...READ_ALL,
    'member.write': 'subtree',
    'household.write': 'subtree',
    'visit.write': 'subtree',
    'plan.write': 'subtree',
    'notice.answer': 'subtree',
    'signoff.write': 'subtree',
    'rectification.close': 'subtree',
  },
  // A member (a leader among them) keeps their own pairings: logs their visits, drafts and submits
  // their plans, and signs off a pairing that helps them.
  member: {
    'org.read': 'subtree',
    'place.read': 'subtree',
    'member.read': 'own',
    'pairing.read': 'own',
    'plan.read': 'own',
    'visit.write': 'own',
    'plan.write': 'own',
    'signoff.write': 'own',
  },
  auditor: {
    ...READ_ALL,
    'audit.read': 'subtree',
    'audit.verify': 'subtree',
    'user.read': 'subtree',
    'ledger.export': 'subtree',
  },
};

export const scopeOf = (role: Role, action: Action): Scope | undefined => PERMISSIONS[role][action];
export const can = (role: Role, action: Action): boolean => scopeOf(role, action) !== undefined;
