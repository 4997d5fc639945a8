import type { Code } from './codes.ts';
import { PLAN_ACTIONS } from './plan-workflow.ts';

/**
 * What each audited act is called, for the people who read the audit log (审计日志). The log keeps
 * the codes (searchable, exported as they are); screens show these words. An act not listed here is
 * named by its area, so a new code never shows bare.
 */
export const AUDIT_ACTIONS: readonly Code[] = [
  { code: 'access.denied', zh: '越权访问被拒绝', en: 'Access denied' },
  { code: 'auth.sign_in', zh: '登录', en: 'Signed in' },
  { code: 'auth.sign_out', zh: '退出登录', en: 'Signed out' },
  { code: 'auth.lockout', zh: '账号锁定', en: 'Account locked' },
  { code: 'auth.password_change', zh: '修改密码', en: 'Password changed' },
  { code: 'auth.password_reset', zh: '重置密码', en: 'Password reset' },
  { code: 'auth.totp_setup', zh: '开始绑定身份验证器', en: 'Two-factor setup started' },
  { code: 'auth.totp_enable', zh: '启用身份验证器', en: 'Two-factor enabled' },
  { code: 'user.create', zh: '新建账号', en: 'Account created' },
  { code: 'user.update', zh: '修改账号', en: 'Account changed' },
  { code: 'user.role_change', zh: '变更角色', en: 'Role changed' },
  { code: 'user.manage', zh: '账号管理', en: 'Account management' },
  { code: 'user.password_reset_issue', zh: '签发密码重置码', en: 'Password reset code issued' },
  { code: 'member.read', zh: '查看党员', en: 'Members read' },
  { code: 'member.create', zh: '新增党员', en: 'Member added' },
  { code: 'member.update', zh: '修改党员信息', en: 'Member changed' },
  { code: 'member.unmask', zh: '查看完整身份证号/电话/住址', en: 'Full ID number, phone or address viewed' },
  { code: 'household.create', zh: '新增农户', en: 'Household added' },
  { code: 'household.update', zh: '修改农户信息', en: 'Household changed' },
  { code: 'org.create', zh: '新建党组织', en: 'Organisation created' },
  { code: 'org.update', zh: '修改党组织', en: 'Organisation changed' },
  { code: 'org.move', zh: '调整隶属关系', en: 'Organisation moved' },
  { code: 'org.close', zh: '撤销党组织', en: 'Organisation closed' },
  { code: 'place.create', zh: '新增地点', en: 'Place added' },
  { code: 'pairing.create', zh: '建立结对', en: 'Pairing created' },
  { code: 'pairing.read', zh: '查看结对', en: 'Pairing read' },
  { code: 'rules.quota', zh: '修改走访次数规则', en: 'Visit quota rule changed' },
  { code: 'visit.create', zh: '登记走访', en: 'Visit logged' },
  { code: 'visit.update', zh: '修改走访记录', en: 'Visit corrected' },
  { code: 'visit.photo.add', zh: '上传走访照片', en: 'Visit photo added' },
  { code: 'plan.create', zh: '起草方案', en: 'Plan drafted' },
  { code: 'plan.update', zh: '修改方案', en: 'Plan edited' },
  { code: 'plan.check', zh: '年中任务检查', en: 'Mid-year task check' },
  ...PLAN_ACTIONS.map((a) => ({
    code: `plan.${a.code}`,
    zh: `方案${a.zh}`,
    en: `Plan: ${a.en.toLowerCase()}`,
  })),
  { code: 'notice.answer', zh: '答复群众意见', en: 'Feedback answered' },
  { code: 'register.note', zh: '填写帮扶进展', en: 'Progress note' },
  { code: 'signoff.create', zh: '年末签署意见', en: 'Year-end sign-off' },
  { code: 'signoff.amend', zh: '更正年末意见', en: 'Sign-off amended' },
  { code: 'inspection.round.create', zh: '安排督查轮次', en: 'Check round planned' },
  { code: 'inspection.record', zh: '记录督查', en: 'Check recorded' },
  { code: 'inspection.complete', zh: '完成督查', en: 'Check completed' },
  { code: 'inspection.read', zh: '查看督查', en: 'Check read' },
  { code: 'rectification.close', zh: '整改销号', en: 'Rectification closed' },
  { code: 'assessment.scheme.create', zh: '新建考评方案', en: 'Assessment scheme created' },
  { code: 'assessment.scheme.activate', zh: '启用考评方案', en: 'Assessment scheme activated' },
  { code: 'assessment.survey.open', zh: '开启满意度测评', en: 'Survey opened' },
  { code: 'assessment.survey.close', zh: '关闭满意度测评', en: 'Survey closed' },
  { code: 'assessment.run', zh: '计算考评结果', en: 'Assessment run' },
  { code: 'assessment.decide', zh: '提出考评处理意见', en: 'Assessment proposal' },
  { code: 'assessment.read', zh: '查看考评', en: 'Assessment read' },
  { code: 'export.members', zh: '导出党员名册', en: 'Members exported' },
  { code: 'export.audit', zh: '导出审计记录', en: 'Audit log exported' },
  { code: 'ledger.export', zh: '导出台账', en: 'Ledger exported' },
  { code: 'report.bulletin', zh: '生成半年通报', en: 'Bulletin produced' },
  { code: 'import.run', zh: '导入', en: 'Import' },
  { code: 'audit.verify', zh: '校验审计记录', en: 'Audit chain verified' },
];

/** The areas, for an act not in the list above (`plan.foo` → 方案). */
const AREAS: Record<string, [string, string]> = {
  access: ['访问', 'Access'],
  auth: ['登录与密码', 'Sign-in'],
  user: ['账号', 'Account'],
  member: ['党员', 'Member'],
  household: ['农户', 'Household'],
  org: ['党组织', 'Organisation'],
  place: ['地点', 'Place'],
  pairing: ['结对', 'Pairing'],
  rules: ['规则', 'Rules'],
  visit: ['走访', 'Visit'],
  plan: ['方案', 'Plan'],
  notice: ['公示', 'Notice'],
  register: ['帮扶册', 'Register'],
  signoff: ['年末意见', 'Sign-off'],
  inspection: ['督查', 'Check'],
  rectification: ['整改', 'Rectification'],
  assessment: ['考评', 'Assessment'],
  export: ['导出', 'Export'],
  ledger: ['台账', 'Ledger'],
  report: ['通报', 'Report'],
  import: ['导入', 'Import'],
  audit: ['审计', 'Audit'],
};

const BY_CODE = new Map(AUDIT_ACTIONS.map((a) => [a.code, a]));

/** The words for an audited act, in both languages. */
export function auditActionLabel(code: string): { zh: string; en: string } {
  const known = BY_CODE.get(code);
  if (known) return { zh: known.zh, en: known.en };
  // Imports are recorded per sheet kind (import.members, import.orgs …).
  const area = AREAS[code.split('.')[0] ?? ''];
  return area ? { zh: `${area[0]}（${code}）`, en: `${area[1]} (${code})` } : { zh: code, en: code };
}

/** What the object of an act is, by its recorded type. */
export const AUDIT_TARGET_TYPES: Record<string, [string, string]> = {
  user: ['账号', 'Account'],
  org: ['党组织', 'Organisation'],
  member: ['党员', 'Member'],
  household: ['农户', 'Household'],
  place: ['地点', 'Place'],
  pairing: ['结对', 'Pairing'],
  pairing_kind: ['结对类型', 'Pairing kind'],
  plan: ['方案', 'Plan'],
  visit: ['走访', 'Visit'],
  notice_feedback: ['群众意见', 'Feedback'],
  inspection: ['督查', 'Check'],
  inspection_round: ['督查轮次', 'Check round'],
  rectification: ['整改', 'Rectification'],
  assessment_scheme: ['考评方案', 'Assessment scheme'],
  assessment_run: ['考评计算', 'Assessment run'],
  assessment_decision: ['考评处理意见', 'Assessment proposal'],
  satisfaction_survey: ['满意度测评', 'Survey'],
  ledger: ['台账', 'Ledger'],
  file: ['文件', 'File'],
  county: ['县', 'County'],
};

/** "方案：2026年度…" — the object's kind and, where known, its name (else its number). */
export function auditTargetLabel(
  type: string | null,
  id: string | null,
  name: string | undefined,
): { zh: string; en: string } | null {
  if (!type) return null;
  const [zh, en] = AUDIT_TARGET_TYPES[type] ?? [type, type];
  const what = name ?? (id ? `#${id}` : '');
  return { zh: what ? `${zh}：${what}` : zh, en: what ? `${en}: ${what}` : en };
}
