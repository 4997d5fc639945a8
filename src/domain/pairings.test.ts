import { describe, expect, it } from 'vitest';
import { LEADER_RANKS, lookupCode } from './codes.ts';
import {
  CARDINALITIES,
  checkPairingShape,
  checkQuotaRule,
  effectiveRule,
  FIVE_SYSTEMS,
  FORMATIONS,
  FOUR_VISIT_TYPES,
  isValidOutcome,
  isValidVisitSubKind,
  OPINIONS,
  OUTCOME_UNITS,
  PAIRING_KIND_CODES,
  PAIRING_KINDS,
  pairingKind,
  QUOTA_BASES,
  RESPONSIBLES,
  requiredPerYear,
  SCHEDULES,
  SIDE_TYPES,
  scheduleOf,
  VISIT_KINDS,
  visitKindsFor,
} from './pairings.ts';

const codesOf = (list: readonly { code: string }[]) => list.map((c) => c.code);

describe('pairing kinds are data', () => {
  it('every kind the issue names is defined exactly once', () => {
    expect(PAIRING_KIND_CODES).toEqual([
      'leader_contact',
      'branch_cobuild',
      'member_assist',
      'household_link',
      'sanbao_dept_township',
      'sanbao_cadre_village',
      'sanbao_village_group',
      'sanbao_member_household',
      'stationed_team',
      'urban_rural',
      'village_enterprise',
      'village_village',
      'co_resident',
      'two_officers',
    ]);
    expect(new Set(PAIRING_KIND_CODES).size).toBe(PAIRING_KINDS.length);
  });

  it('every kind names its sides, cardinality, formation, plan, responsible side and quota with known codes', () => {
    const sides = codesOf(SIDE_TYPES);
    const visitKinds = codesOf(VISIT_KINDS);
    for (const k of PAIRING_KINDS) {
      expect(k.zh && k.en && k.plan.zh && k.plan.en, k.code).toBeTruthy();
      expect(k.helper.length && k.helped.length, k.code).toBeTruthy();
      for (const s of [...k.helper, ...k.helped]) expect(sides, k.code).toContain(s);
      expect(k.cardinality.length, k.code).toBeGreaterThan(0);
      for (const c of k.cardinality) expect(codesOf(CARDINALITIES), k.code).toContain(c);
      expect(k.formations.length, k.code).toBeGreaterThan(0);
      for (const f of k.formations) expect(codesOf(FORMATIONS), k.code).toContain(f);
      expect(codesOf(RESPONSIBLES), k.code).toContain(k.responsible);
      expect(checkQuotaRule(k.defaultQuota), k.code).toEqual([]);
      for (const v of k.defaultQuota.countsVisitKinds) expect(visitKinds, k.code).toContain(v);
      for (const o of k.obligations ?? []) expect(codesOf(FIVE_SYSTEMS), k.code).toContain(o);
      expect(k.sources.length, k.code).toBeGreaterThan(0);
    }
  });

  it('the three plans of seed 000 are the plans of the three 三联 kinds', () => {
    expect(pairingKind('leader_contact')?.plan.zh).toBe('联点工作方案');
    expect(pairingKind('branch_cobuild')?.plan.zh).toBe('支部共建方案');
    expect(pairingKind('member_assist')?.plan.zh).toBe('党员帮扶方案');
  });

  it('三包为民 is four kinds of one family', () => {
    const sanbao = PAIRING_KINDS.filter((k) => k.family?.zh === '三包为民').map((k) => k.zh);
    expect(sanbao).toEqual(['部门包乡', '干部包村', '村干部包组', '党员包户']);
  });

  it('a leader contact point joins a leader to a branch, assigned, the leader responsible', () => {
    const k = pairingKind('leader_contact')!;
    expect([k.helper, k.helped, k.formations, k.responsible]).toEqual([
      ['leader'],
      ['org'],
      ['assigned'],
      'helper',
    ]);
  });

  it("in branch co-building the helper branch's secretary is responsible and the five systems are kept", () => {
    const k = pairingKind('branch_cobuild')!;
    expect(k.responsible).toBe('helper_branch_secretary');
    expect(k.obligations).toEqual(codesOf(FIVE_SYSTEMS));
  });

  it('member assistance helps a needy member or a needy household, one or many', () => {
    const k = pairingKind('member_assist')!;
    expect(k.helped).toEqual(['member', 'household']);
    expect(k.cardinality).toEqual(['one_to_one', 'one_to_many', 'many_to_one']);
  });

  it('village co-building may be assigned, chosen, or chosen by the masses', () => {
    expect(pairingKind('village_village')?.formations).toEqual(['assigned', 'chosen', 'mass_chosen']);
    expect(pairingKind('village_enterprise')?.formations).toEqual(['assigned', 'chosen', 'mass_chosen']);
  });

  it('stationed teams and the department contracting a township answer through their team leader', () => {
    expect(pairingKind('stationed_team')?.responsible).toBe('team_leader');
    expect(pairingKind('sanbao_dept_township')?.responsible).toBe('team_leader');
  });

  it('an unknown kind has no definition', () => {
    expect(pairingKind('nope')).toBeUndefined();
    expect(() => effectiveRule('nope' as never)).toThrow(RangeError);
  });

  it('a proposed pairing must fit its kind', () => {
    const k = pairingKind('leader_contact')!;
    expect(
      checkPairingShape(k, {
        helperType: 'leader',
        helpedType: 'org',
        cardinality: 'one_to_one',
        formation: 'assigned',
      }),
    ).toEqual([]);
    expect(
      checkPairingShape(k, {
        helperType: 'member',
        helpedType: 'household',
        cardinality: 'many_to_one',
        formation: 'mass_chosen',
      }),
    ).toEqual(['helperType', 'helpedType', 'cardinality', 'formation']);
  });
});

describe('quota rules of seed 000, editable by the county', () => {
  it('a county-level leader needs 6 on-site work visits a year', () => {
    expect(requiredPerYear(effectiveRule('leader_contact'), { leaderRank: 'county' })).toBe(6);
  });

  it('a section-level leader needs 12 on-site visits a year', () => {
    expect(requiredPerYear(effectiveRule('leader_contact'), { leaderRank: 'section' })).toBe(12);
  });

  it('a leader contact point counts only on-site work visits (到点工作)', () => {
    const rule = effectiveRule('leader_contact');
    expect(rule.countsVisitKinds).toEqual(['on_site_work']);
    expect(rule.basis).toBe('on_site');
  });

  it('a leader of another or no recorded rank owes the highest number, unless the county set one for others', () => {
    const rule = effectiveRule('leader_contact');
    expect(requiredPerYear(rule, { leaderRank: 'other' })).toBe(12);
    expect(requiredPerYear(rule, {})).toBe(12);
    expect(requiredPerYear(rule, { leaderRank: null })).toBe(12);
    const withOther = effectiveRule('leader_contact', {
      leader_contact: { visitsPerYear: { byRank: { county: 6, section: 12, other: 8 } } },
    });
    expect(requiredPerYear(withOther, { leaderRank: 'other' })).toBe(8);
    expect(requiredPerYear(withOther, { leaderRank: 'county' })).toBe(6);
  });

  it('a branch co-building pair needs 4 on-site visits a year, whoever its leader', () => {
    const rule = effectiveRule('branch_cobuild');
    expect(requiredPerYear(rule)).toBe(4);
    expect(requiredPerYear(rule, { leaderRank: 'county' })).toBe(4);
    expect(rule.basis).toBe('on_site');
  });

  it('kinds without a quota in the seeds ask no visits until the county sets one', () => {
    expect(requiredPerYear(effectiveRule('member_assist'))).toBe(0);
    expect(requiredPerYear(effectiveRule('household_link'))).toBe(0);
  });

  it('the county’s override of a quota replaces the built-in one', () => {
    const overrides = { leader_contact: { visitsPerYear: { byRank: { county: 8, section: 16 } } } };
    const rule = effectiveRule('leader_contact', overrides);
    expect(requiredPerYear(rule, { leaderRank: 'county' })).toBe(8);
    expect(requiredPerYear(rule, { leaderRank: 'section' })).toBe(16);
  });

  it('an override replaces only the fields it gives, and only for its own kind', () => {
    const overrides = { branch_cobuild: { visitsPerYear: 6 } };
    const rule = effectiveRule('branch_cobuild', overrides);
    expect(rule.visitsPerYear).toBe(6);
    expect(rule.countsVisitKinds).toEqual(pairingKind('branch_cobuild')!.defaultQuota.countsVisitKinds);
    expect(rule.basis).toBe('on_site');
    expect(effectiveRule('leader_contact', overrides)).toEqual(pairingKind('leader_contact')!.defaultQuota);
    const kinds = effectiveRule('branch_cobuild', {
      branch_cobuild: { countsVisitKinds: ['joint_meeting'] },
    });
    expect([kinds.visitsPerYear, kinds.countsVisitKinds]).toEqual([4, ['joint_meeting']]);
  });

  it('the county may give a kind a number of visits by a definition as well as by code', () => {
    const def = pairingKind('member_assist')!;
    expect(requiredPerYear(effectiveRule(def, { member_assist: { visitsPerYear: 2 } }))).toBe(2);
    expect(effectiveRule(def, null)).toEqual(def.defaultQuota);
  });

  it('an override must ask a whole number of visits from 0 to 366 and count known visit kinds', () => {
    expect(checkQuotaRule({ visitsPerYear: 6 })).toEqual([]);
    expect(checkQuotaRule({ visitsPerYear: 0 })).toEqual([]);
    expect(checkQuotaRule({ visitsPerYear: -1 }).map((p) => p.field)).toEqual(['visitsPerYear']);
    expect(checkQuotaRule({ visitsPerYear: 2.5 }).map((p) => p.field)).toEqual(['visitsPerYear']);
    expect(checkQuotaRule({ visitsPerYear: 400 }).map((p) => p.field)).toEqual(['visitsPerYear']);
    expect(
      checkQuotaRule({ visitsPerYear: { byRank: { county: 6, section: -2 } } }).map((p) => p.field),
    ).toEqual(['visitsPerYear']);
    expect(
      checkQuotaRule({ visitsPerYear: { byRank: { county: 6, section: 12, other: 1.5 } } }).map(
        (p) => p.field,
      ),
    ).toEqual(['visitsPerYear']);
    expect(checkQuotaRule({ countsVisitKinds: [] }).map((p) => p.field)).toEqual(['countsVisitKinds']);
    expect(checkQuotaRule({ countsVisitKinds: ['golf' as never] }).map((p) => p.field)).toEqual([
      'countsVisitKinds',
    ]);
    expect(checkQuotaRule({ basis: 'phone' as never }).map((p) => p.field)).toEqual(['basis']);
  });
});

describe('code lists', () => {
  it('no list repeats a code, and every entry has Chinese and English', () => {
    for (const list of [
      SIDE_TYPES,
      CARDINALITIES,
      FORMATIONS,
      RESPONSIBLES,
      SCHEDULES,
      FIVE_SYSTEMS,
      VISIT_KINDS,
      FOUR_VISIT_TYPES,
      OUTCOME_UNITS,
      OPINIONS,
      QUOTA_BASES,
    ]) {
      const codes = codesOf(list);
      expect(new Set(codes).size).toBe(codes.length);
      for (const c of list) expect(c.zh && c.en).toBeTruthy();
    }
  });

  it('the five systems keep their schedules: monthly, a month a year, quarterly, yearly, ongoing', () => {
    expect(FIVE_SYSTEMS.map((s) => [s.zh, s.schedule])).toEqual([
      ['集体活动日', 'monthly'],
      ['交叉学习月', 'month_a_year'],
      ['季度联席会', 'quarterly'],
      ['年度党建互检', 'yearly'],
      ['日常党建互助', 'ongoing'],
    ]);
    expect(scheduleOf('joint_meeting')).toBe('quarterly');
  });

  it('each of the five systems is also a visit kind, so one record serves both ledgers', () => {
    for (const s of FIVE_SYSTEMS) expect(VISIT_KINDS.find((v) => v.code === s.code)?.zh).toBe(s.zh);
  });

  it('四访 is one visit kind whose record names which of the four visits it was', () => {
    expect(VISIT_KINDS.filter((v) => v.zh === '四访')).toHaveLength(1);
    expect(FOUR_VISIT_TYPES.map((t) => t.zh)).toEqual([
      '带着积案下访',
      '带着问题回访',
      '带着资金走访',
      '带着政策询访',
    ]);
    expect(isValidVisitSubKind('four_visits', 'funds_visit')).toBe(true);
    expect(isValidVisitSubKind('four_visits', null)).toBe(false);
    expect(isValidVisitSubKind('four_visits', 'training')).toBe(false);
    expect(isValidVisitSubKind('training', null)).toBe(true);
    expect(isValidVisitSubKind('training', 'funds_visit')).toBe(false);
  });

  it('sheets’ words for formations, visit kinds and opinions are recognised', () => {
    expect(lookupCode(FORMATIONS, '选对')).toBe('mass_chosen');
    expect(lookupCode(FORMATIONS, '组织定对')).toBe('assigned');
    expect(lookupCode(VISIT_KINDS, '到点工作')).toBe('on_site_work');
    expect(lookupCode(VISIT_KINDS, '实用技术培训')).toBe('training');
    expect(lookupCode(FOUR_VISIT_TYPES, '询访')).toBe('policy_enquiry');
    expect(lookupCode(OPINIONS, '基本满意')).toBe('basically_satisfied');
    expect(lookupCode(CARDINALITIES, '多帮一')).toBe('many_to_one');
  });

  it('the year-end opinions are 满意, 基本满意, 不满意', () => {
    expect(OPINIONS.map((o) => o.zh)).toEqual(['满意', '基本满意', '不满意']);
  });

  it('leader ranks by rank rules are the county’s leader ranks', () => {
    expect(codesOf(LEADER_RANKS)).toEqual(['county', 'section', 'other']);
  });

  it('outcomes are not negative; money goes to the fen, km and mu to a tenth, counts are whole', () => {
    expect(isValidOutcome('yuan', 73710)).toBe(true);
    expect(isValidOutcome('yuan', 12.34)).toBe(true);
    expect(isValidOutcome('yuan', 12.345)).toBe(false);
    expect(isValidOutcome('mu', 2500.5)).toBe(true);
    expect(isValidOutcome('km', 1.25)).toBe(false);
    expect(isValidOutcome('person_times', 130)).toBe(true);
    expect(isValidOutcome('households', 1.5)).toBe(false);
    expect(isValidOutcome('people', -1)).toBe(false);
    expect(isValidOutcome('items', Number.NaN)).toBe(false);
  });
});

describe('the visits a pairing kind records', () => {
  it('a member helping a person or household records help, never meetings of organisations', () => {
    for (const kind of ['member_assist', 'household_link', 'sanbao_member_household']) {
      const kinds = visitKindsFor(kind);
      expect(kinds, kind).toContain('daily_help');
      expect(kinds, kind).toContain('on_site_work');
      for (const meeting of ['joint_meeting', 'collective_day', 'cross_learning', 'mutual_inspection'])
        expect(kinds, `${kind} ${meeting}`).not.toContain(meeting);
    }
  });

  it('organisations pairing with organisations record every kind, and every quota counts a kind it records', () => {
    expect(visitKindsFor('branch_cobuild')).toEqual(VISIT_KINDS.map((v) => v.code));
    for (const k of PAIRING_KINDS) {
      for (const counted of k.defaultQuota.countsVisitKinds)
        expect(visitKindsFor(k.code), `${k.code} counts ${counted}`).toContain(counted);
    }
  });
});
