import { describe, expect, it } from 'vitest';
import {
  availableActions,
  draftProblems,
  MAX_REASON_LENGTH,
  mayAct,
  PLAN_ACTIONS,
  PLAN_STATUSES,
  PLAN_TRANSITIONS,
  type PlanActor,
  type PlanRef,
  type PlanStatus,
  transition,
} from './plan-workflow.ts';

const FRI = '2025-03-14'; // a Friday
const AT = `${FRI}T10:00:00+08:00`;

const secretary: PlanActor = { role: 'branch_secretary', isResponsible: true, isCommitteeAbove: false };
const leader: PlanActor = { role: 'member', isResponsible: true, isCommitteeAbove: false };
const otherMember: PlanActor = { role: 'member', isResponsible: false, isCommitteeAbove: false };
const otherSecretary: PlanActor = { role: 'branch_secretary', isResponsible: false, isCommitteeAbove: false };
const committeeAbove: PlanActor = { role: 'committee_staff', isResponsible: false, isCommitteeAbove: true };
const otherCommittee: PlanActor = { role: 'committee_staff', isResponsible: false, isCommitteeAbove: false };
const helperBranchSecretary: PlanActor = {
  role: 'branch_secretary',
  isResponsible: false,
  isCommitteeAbove: false,
  isHelperBranchSecretary: true,
};
const county: PlanActor = { role: 'county_admin', isResponsible: false, isCommitteeAbove: false };
const auditor: PlanActor = { role: 'auditor', isResponsible: false, isCommitteeAbove: true };

const plan = (status: PlanStatus, version = 3, noticeEndsOn: string | null = null): PlanRef => ({
  status,
  version,
  noticeEndsOn,
});

describe('the plan moves from draft to force', () => {
  it('a draft goes through review, approval and public notice into force, one version at a time', () => {
    let p: PlanRef = plan('draft', 0);
    const steps: [Parameters<typeof transition>[1], PlanActor | null, string][] = [
      ['submit', secretary, AT],
      ['review', committeeAbove, AT],
      ['approve', county, AT],
      ['take_effect', null, '2025-03-21T00:05:00+08:00'],
    ];
    const seen: PlanStatus[] = [];
    for (const [action, actor, at] of steps) {
      const r = transition(p, action, actor, { at });
      if (!r.ok) throw new Error(r.message);
      p = { status: r.status, version: r.version, noticeEndsOn: r.notice?.endsOn ?? p.noticeEndsOn ?? null };
      seen.push(r.status);
    }
    expect(seen).toEqual(['submitted', 'reviewed', 'in_notice', 'in_force']);
    expect(p.version).toBe(4);
  });

  it('each step records from, to, action, when and by whom', () => {
    const r = transition(plan('submitted'), 'review', committeeAbove, { at: AT, reason: ' 同意 ' });
    expect(r).toEqual({
      ok: true,
      status: 'reviewed',
      version: 4,
      event: {
        from: 'submitted',
        to: 'reviewed',
        action: 'review',
        reason: '同意',
        at: AT,
        by: 'committee_staff',
      },
    });
  });

  it('a step without a reason records none', () => {
    const r = transition(plan('draft'), 'submit', secretary, { at: AT, reason: '   ' });
    expect(r.ok && 'reason' in r.event).toBe(false);
  });

  it('a transition gives the next version, for the caller’s optimistic check', () => {
    const r = transition(plan('draft', 17), 'submit', secretary, { at: AT });
    expect(r.ok && r.version).toBe(18);
  });

  it('every state and action has a Chinese and an English name', () => {
    expect(PLAN_STATUSES.map((s) => s.code)).toEqual([
      'draft',
      'submitted',
      'reviewed',
      'approved',
      'in_notice',
      'in_force',
    ]);
    expect(PLAN_ACTIONS.map((a) => a.code).sort()).toEqual(Object.keys(PLAN_TRANSITIONS).sort());
    for (const c of [...PLAN_STATUSES, ...PLAN_ACTIONS]) expect(c.zh && c.en).toBeTruthy();
  });
});

describe('submitting', () => {
  it('the responsible side submits its plan: a branch secretary or the leader themself', () => {
    expect(transition(plan('draft'), 'submit', secretary, { at: AT }).ok).toBe(true);
    expect(transition(plan('draft'), 'submit', leader, { at: AT }).ok).toBe(true);
  });

  it('staff above may submit on the responsible side’s behalf', () => {
    expect(transition(plan('draft'), 'submit', committeeAbove, { at: AT }).ok).toBe(true);
    expect(transition(plan('draft'), 'submit', county, { at: AT }).ok).toBe(true);
  });

  it('the secretary of the helper’s branch submits for a member of the branch who has no account, but reviews nothing', () => {
    expect(transition(plan('draft'), 'submit', helperBranchSecretary, { at: AT }).ok).toBe(true);
    expect(transition(plan('submitted'), 'review', helperBranchSecretary, { at: AT }).ok).toBe(false);
    // the flag means nothing for other roles
    const member = { ...helperBranchSecretary, role: 'member' as const };
    expect(transition(plan('draft'), 'submit', member, { at: AT }).ok).toBe(false);
  });

  it('someone not responsible for the pairing cannot submit its plan', () => {
    for (const actor of [otherMember, otherSecretary, otherCommittee]) {
      expect(transition(plan('draft'), 'submit', actor, { at: AT })).toMatchObject({
        ok: false,
        code: 'not_allowed',
      });
    }
  });

  it('a plan cannot be submitted twice', () => {
    const r = transition(plan('submitted'), 'submit', secretary, { at: AT });
    expect(r).toMatchObject({ ok: false, code: 'wrong_state' });
    expect(!r.ok && r.message).toMatch(/待审查.*\/.*submitted/);
  });

  it('an auditor is read-only and never acts on a plan, even one they are marked responsible for', () => {
    expect(
      transition(plan('draft'), 'submit', { ...auditor, isResponsible: true }, { at: AT }),
    ).toMatchObject({
      code: 'not_allowed',
    });
    expect(transition(plan('submitted'), 'review', auditor, { at: AT })).toMatchObject({
      code: 'not_allowed',
    });
  });
});

describe('review (审查) and approval (审定)', () => {
  it('the committee above reviews a submitted plan, or the county does', () => {
    expect(transition(plan('submitted'), 'review', committeeAbove, { at: AT }).ok).toBe(true);
    expect(transition(plan('submitted'), 'review', county, { at: AT }).ok).toBe(true);
  });

  it('staff of another committee, branch secretaries and members cannot review', () => {
    for (const actor of [otherCommittee, otherSecretary, secretary, otherMember]) {
      expect(transition(plan('submitted'), 'review', actor, { at: AT })).toMatchObject({
        code: 'not_allowed',
      });
    }
  });

  it('only the county organisation department approves', () => {
    expect(transition(plan('reviewed'), 'approve', county, { at: AT }).ok).toBe(true);
    for (const actor of [committeeAbove, secretary, otherMember, auditor]) {
      expect(transition(plan('reviewed'), 'approve', actor, { at: AT })).toMatchObject({
        code: 'not_allowed',
      });
    }
  });

  it('a plan is approved only after review', () => {
    expect(transition(plan('submitted'), 'approve', county, { at: AT })).toMatchObject({
      code: 'wrong_state',
    });
    expect(transition(plan('draft'), 'review', committeeAbove, { at: AT })).toMatchObject({
      code: 'wrong_state',
    });
  });

  it('nobody reviews or approves a plan they are responsible for', () => {
    expect(
      transition(plan('submitted'), 'review', { ...committeeAbove, isResponsible: true }, { at: AT }),
    ).toMatchObject({
      code: 'not_allowed',
    });
    expect(
      transition(plan('reviewed'), 'approve', { ...county, isResponsible: true }, { at: AT }),
    ).toMatchObject({
      code: 'not_allowed',
    });
  });
});

describe('sending a plan back', () => {
  it('a reviewer cannot send a plan back without a reason', () => {
    for (const reason of [undefined, null, '', '   \n ']) {
      expect(transition(plan('submitted'), 'return', committeeAbove, { at: AT, reason })).toMatchObject({
        ok: false,
        code: 'reason_required',
      });
    }
  });

  it('a returned plan goes back to draft with its reason recorded', () => {
    const r = transition(plan('submitted'), 'return', committeeAbove, { at: AT, reason: '帮扶目标不具体' });
    expect(r).toMatchObject({
      ok: true,
      status: 'draft',
      event: {
        from: 'submitted',
        to: 'draft',
        action: 'return',
        reason: '帮扶目标不具体',
        by: 'committee_staff',
      },
    });
  });

  it('a reason is at most 500 characters, counted as characters not bytes', () => {
    const at500 = '理'.repeat(MAX_REASON_LENGTH);
    expect(transition(plan('submitted'), 'return', committeeAbove, { at: AT, reason: at500 }).ok).toBe(true);
    expect(
      transition(plan('submitted'), 'return', committeeAbove, { at: AT, reason: `${at500}由` }),
    ).toMatchObject({
      code: 'reason_too_long',
    });
    expect(transition(plan('draft'), 'submit', secretary, { at: AT, reason: 'x'.repeat(501) })).toMatchObject(
      {
        code: 'reason_too_long',
      },
    );
  });

  it('a submitted plan is sent back by whoever may review it', () => {
    expect(transition(plan('submitted'), 'return', county, { at: AT, reason: '补充' }).ok).toBe(true);
    expect(transition(plan('submitted'), 'return', otherCommittee, { at: AT, reason: '补充' })).toMatchObject(
      {
        code: 'not_allowed',
      },
    );
    expect(transition(plan('submitted'), 'return', secretary, { at: AT, reason: '撤回' })).toMatchObject({
      code: 'not_allowed',
    });
  });

  it('a reviewed plan is sent back only by the county, which approves it', () => {
    expect(transition(plan('reviewed'), 'return', county, { at: AT, reason: '不符合要求' })).toMatchObject({
      ok: true,
      status: 'draft',
      event: { from: 'reviewed' },
    });
    expect(transition(plan('reviewed'), 'return', committeeAbove, { at: AT, reason: '再改' })).toMatchObject({
      code: 'not_allowed',
    });
  });

  it('a draft, a plan under notice or in force cannot be sent back', () => {
    for (const s of ['draft', 'approved', 'in_notice', 'in_force'] as const) {
      expect(transition(plan(s), 'return', county, { at: AT, reason: '理由' })).toMatchObject({
        code: 'wrong_state',
      });
    }
  });

  it('a wrong state is told before a missing permission or reason', () => {
    expect(transition(plan('in_force'), 'return', otherMember, { at: AT })).toMatchObject({
      code: 'wrong_state',
    });
  });
});

describe('public notice (公示) and force', () => {
  it('approval opens the public notice at once: 5 working days from a Friday end on Thursday', () => {
    const r = transition(plan('reviewed'), 'approve', county, { at: AT });
    expect(r).toMatchObject({
      ok: true,
      status: 'in_notice',
      event: { from: 'reviewed', to: 'in_notice', action: 'approve', by: 'county_admin' },
      notice: { startsOn: FRI, endsOn: '2025-03-20', workingDays: 5 },
    });
  });

  it('the county configures the notice period', () => {
    const r = transition(plan('reviewed'), 'approve', county, { at: AT, noticeDays: 7 });
    expect(r.ok && r.notice).toEqual({ startsOn: FRI, endsOn: '2025-03-24', workingDays: 7 });
  });

  it('the notice honours a holiday calendar when one is given', () => {
    const calendar = { holidays: new Set(['2025-03-17']) };
    const r = transition(plan('reviewed'), 'approve', county, { at: AT, calendar });
    expect(r.ok && r.notice?.endsOn).toBe('2025-03-21');
  });

  it('approval may hold the notice back; publishing opens it later', () => {
    const held = transition(plan('reviewed'), 'approve', county, { at: AT, openNotice: false });
    expect(held).toMatchObject({ ok: true, status: 'approved', event: { to: 'approved' } });
    expect(held.ok && held.notice).toBeUndefined();
    const published = transition(plan('approved'), 'publish', committeeAbove, { at: '2025-03-17' });
    expect(published).toMatchObject({
      ok: true,
      status: 'in_notice',
      notice: { startsOn: '2025-03-17', endsOn: '2025-03-21' },
    });
    expect(transition(plan('approved'), 'publish', secretary, { at: AT })).toMatchObject({
      code: 'not_allowed',
    });
    expect(transition(plan('reviewed'), 'publish', county, { at: AT })).toMatchObject({
      code: 'wrong_state',
    });
  });

  it('a plan takes effect only after its notice period has ended', () => {
    const inNotice = plan('in_notice', 5, '2025-03-20');
    expect(transition(inNotice, 'take_effect', null, { at: '2025-03-20T23:59:00+08:00' })).toMatchObject({
      ok: false,
      code: 'notice_running',
    });
    expect(transition(inNotice, 'take_effect', null, { at: '2025-03-21' })).toMatchObject({
      ok: true,
      status: 'in_force',
      version: 6,
      event: { from: 'in_notice', to: 'in_force', action: 'take_effect', by: 'system' },
    });
  });

  it('only the system puts a plan in force, not a person', () => {
    expect(
      transition(plan('in_notice', 5, '2025-03-20'), 'take_effect', county, { at: '2025-04-01' }),
    ).toMatchObject({
      code: 'not_allowed',
    });
  });

  it('the system takes no other step', () => {
    expect(transition(plan('draft'), 'submit', null, { at: AT })).toMatchObject({ code: 'not_allowed' });
    expect(transition(plan('reviewed'), 'approve', null, { at: AT })).toMatchObject({ code: 'not_allowed' });
  });

  it('a plan under notice without a notice end cannot take effect', () => {
    expect(transition(plan('in_notice'), 'take_effect', null, { at: '2025-04-01' })).toMatchObject({
      code: 'wrong_state',
    });
  });

  it('a plan in force stays in force', () => {
    for (const action of Object.keys(PLAN_TRANSITIONS) as (keyof typeof PLAN_TRANSITIONS)[]) {
      const r = transition(plan('in_force', 5, '2025-03-20'), action, county, {
        at: '2025-04-01',
        reason: '理由',
      });
      expect(r, action).toMatchObject({ ok: false, code: 'wrong_state' });
    }
  });

  it('a time that is not an ISO date is refused', () => {
    expect(() => transition(plan('draft'), 'submit', secretary, { at: '14/03/2025' })).toThrow(RangeError);
  });
});

describe('what an actor may do now', () => {
  it('lists the buttons a page shows', () => {
    expect(availableActions(plan('draft'), secretary, AT)).toEqual(['submit']);
    expect(availableActions(plan('submitted'), committeeAbove, AT)).toEqual(['review', 'return']);
    expect(availableActions(plan('reviewed'), county, AT)).toEqual(['approve', 'return']);
    expect(availableActions(plan('reviewed'), committeeAbove, AT)).toEqual([]);
    expect(availableActions(plan('in_notice', 1, '2025-03-20'), null, '2025-03-20')).toEqual([]);
    expect(availableActions(plan('in_notice', 1, '2025-03-20'), null, '2025-03-21')).toEqual(['take_effect']);
    expect(availableActions(plan('draft'), auditor, AT)).toEqual([]);
  });

  it('who may act depends on the state for sending back only', () => {
    expect(mayAct('return', 'submitted', committeeAbove)).toBe(true);
    expect(mayAct('return', 'reviewed', committeeAbove)).toBe(false);
    expect(mayAct('approve', 'submitted', county)).toBe(true);
  });
});

describe('a plan sent back goes back to its drafting side', () => {
  const sentBack: PlanRef = { ...plan('draft'), sentBack: true };
  const countyDrafter: PlanActor = { ...county, isDrafter: true };

  it('the reviewer who sent it back may not submit it again', () => {
    expect(availableActions(sentBack, committeeAbove, AT)).toEqual([]);
    expect(availableActions(sentBack, county, AT)).toEqual([]);
    const r = transition(sentBack, 'submit', county, { at: AT });
    expect(r).toMatchObject({ ok: false, code: 'not_allowed' });
    expect(!r.ok && r.message).toContain('退回的方案须由起草方修改后重新提交');
  });

  it('the responsible side, the helper branch secretary or whoever wrote it submits it again', () => {
    for (const actor of [secretary, leader, helperBranchSecretary, countyDrafter]) {
      expect(transition(sentBack, 'submit', actor, { at: AT })).toMatchObject({
        ok: true,
        status: 'submitted',
      });
    }
  });

  it('a draft never sent back may still be submitted on behalf by the committee above or the county', () => {
    expect(mayAct('submit', 'draft', committeeAbove)).toBe(true);
    expect(mayAct('submit', 'draft', county)).toBe(true);
  });
});

describe('a draft keeps the plan rules', () => {
  it('a notice of fewer than 5 working days is refused, never rounded up', () => {
    expect(draftProblems({ year: 2026, noticeDays: 0 })).toEqual([
      expect.objectContaining({ field: 'noticeDays', zh: '公示期须为5至30个工作日（现为0）' }),
    ]);
    expect(draftProblems({ year: 2026, noticeDays: 4 })).toHaveLength(1);
    expect(draftProblems({ year: 2026, noticeDays: 5 })).toEqual([]);
    expect(draftProblems({ year: 2026, noticeDays: 31 })).toHaveLength(1);
    expect(draftProblems({ year: 2026, noticeDays: 3 }, 3)).toEqual([]);
  });

  it('a task due outside the plan year is refused on its own field', () => {
    const problems = draftProblems({
      year: 2026,
      tasks: [
        { dueOn: '2026-01-01' },
        { dueOn: '2025-12-31' },
        { dueOn: null },
        { dueOn: '2026-12-31' },
        { dueOn: '2027-01-01' },
      ],
    });
    expect(problems.map((p) => p.field)).toEqual(['tasks.1.dueOn', 'tasks.4.dueOn']);
    expect(problems[0]!.zh).toBe(
      '第2项任务的完成时限2025-12-31不在方案年度内（须在2026-01-01至2026-12-31之间）',
    );
  });
});
