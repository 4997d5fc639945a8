import type { Code, LeaderRank } from './codes.ts';

/**
 * Pairings (结对): one model for every kind. A kind is DATA — which sides it joins, how many to how
 * many, how it is formed, whose responsibility it is, which plan it has, and its yearly quota rule.
 * Code reads these tables; it never branches on a kind's code. The county edits the quota of a kind
 * through `CountyQuotaOverrides` (see `effectiveRule`).
 *
 * Sources: [000] 三联共建 report (领导联点, 支部联建, 党员联帮, the quotas, 卡册, 审查制和公示制),
 * [001] 互助共建 (the five standing systems), [002] 共驻共建 and 两员, [003] 城乡结对, 村企/村村联建,
 * 定对/结对/选对, [004] 三包为民, 四访, 一帮一/一帮多/多帮一.
 */

const codeList = <const T extends readonly Code[]>(list: T) => list;
type CodeOf<L extends readonly Code[]> = L[number]['code'];

// ---------------------------------------------------------------------------------------------
// Code lists
// ---------------------------------------------------------------------------------------------

/** What a side of a pairing can be. */
export const SIDE_TYPES = codeList([
  { code: 'member', zh: '党员', en: 'Party member' },
  { code: 'leader', zh: '领导干部', en: 'Leading cadre' },
  { code: 'org', zh: '党组织', en: 'Party organisation', aliases: ['支部', '党支部'] },
  { code: 'unit', zh: '单位', en: 'Unit (department, agency, enterprise)', aliases: ['部门', '企业'] },
  { code: 'household', zh: '农户', en: 'Household', aliases: ['户'] },
  { code: 'team', zh: '工作队', en: 'Work team', aliases: ['工作组', '驻村工作队', '驻村工作组'] },
  { code: 'place', zh: '乡镇/村/社区/村民小组', en: 'Place (township, village, community, group)' },
] as const);
export type SideType = CodeOf<typeof SIDE_TYPES>;

export const CARDINALITIES = codeList([
  { code: 'one_to_one', zh: '一帮一', en: 'One helps one' },
  { code: 'one_to_many', zh: '一帮多', en: 'One helps several' },
  { code: 'many_to_one', zh: '多帮一', en: 'Several help one' },
] as const);
export type Cardinality = CodeOf<typeof CARDINALITIES>;

/** How a pairing was formed [003]. */
export const FORMATIONS = codeList([
  { code: 'assigned', zh: '定对', en: 'Assigned by the organisation', aliases: ['组织定对'] },
  { code: 'chosen', zh: '结对', en: 'Chosen freely by the two sides', aliases: ['自由结对'] },
  { code: 'mass_chosen', zh: '选对', en: 'Chosen by the masses', aliases: ['群众选对'] },
] as const);
export type Formation = CodeOf<typeof FORMATIONS>;

/** Who answers for a pairing. */
export const RESPONSIBLES = codeList([
  { code: 'helper', zh: '帮扶方本人', en: 'The helper' },
  {
    code: 'helper_branch_secretary',
    zh: '帮扶方党支部书记',
    en: "The helper branch's secretary",
    aliases: ['联点支部书记负责制'],
  },
  { code: 'team_leader', zh: '工作队(组)长', en: 'The team leader', aliases: ['队长', '组长'] },
] as const);
export type Responsible = CodeOf<typeof RESPONSIBLES>;

/** When a standing system falls due. */
export const SCHEDULES = codeList([
  { code: 'monthly', zh: '每月', en: 'Every month' },
  { code: 'month_a_year', zh: '每年一个月', en: 'One month a year' },
  { code: 'quarterly', zh: '每季度', en: 'Every quarter' },
  { code: 'yearly', zh: '每年', en: 'Every year' },
  { code: 'ongoing', zh: '日常', en: 'Ongoing' },
] as const);
export type Schedule = CodeOf<typeof SCHEDULES>;

/** The five standing systems of 互助共建 [001], each with its schedule. */
export const FIVE_SYSTEMS = codeList([
  {
    code: 'collective_day',
    zh: '集体活动日',
    en: 'Collective activity day',
    schedule: 'monthly',
    aliases: ['集体活动日制度'],
  },
  {
    code: 'cross_learning',
    zh: '交叉学习月',
    en: 'Cross-learning month',
    schedule: 'month_a_year',
    aliases: ['交叉学习月制度', '交叉学习日'],
  },
  {
    code: 'joint_meeting',
    zh: '季度联席会',
    en: 'Quarterly joint meeting',
    schedule: 'quarterly',
    aliases: ['季度联席会制度', '联席会'],
  },
  {
    code: 'mutual_inspection',
    zh: '年度党建互检',
    en: 'Annual mutual party-building inspection',
    schedule: 'yearly',
    aliases: ['年度党建互检制度', '党建互检'],
  },
  {
    code: 'daily_help',
    zh: '日常党建互助',
    en: 'Day-to-day mutual help',
    schedule: 'ongoing',
    aliases: ['日常党建互助制度'],
  },
] as const satisfies readonly (Code & { schedule: Schedule })[]);
export type SystemCode = CodeOf<typeof FIVE_SYSTEMS>;

export const scheduleOf = (system: SystemCode): Schedule =>
  FIVE_SYSTEMS.find((s) => s.code === system)!.schedule;

/**
 * Kinds of visit or activity. The five systems are visit kinds under the same codes, so one activity
 * record is at once a visit of the pairing and an event of its standing system.
 *
 * 四访 is ONE kind with a sub-kind (`FOUR_VISIT_TYPES`), not four kinds: the county counts and reports
 * "四访" as one line of work [004], a quota rule can count it with one code, and the four sub-kinds
 * (下访/回访/走访/询访) are about what the visitor brings, which the record keeps as its sub-kind.
 */
export const VISIT_KINDS = codeList([
  {
    code: 'on_site_work',
    zh: '到点工作',
    en: 'On-site work visit',
    aliases: ['到点', '到点开展工作', '实地工作'],
  },
  { code: 'meet_family', zh: '认亲', en: 'Getting acquainted (认亲)', aliases: ['结对认亲'] },
  { code: 'collective_day', zh: '集体活动日', en: 'Collective activity day', aliases: ['集体活动'] },
  {
    code: 'cross_learning',
    zh: '交叉学习月',
    en: 'Cross-learning month',
    aliases: ['交叉学习', '交叉学习日'],
  },
  { code: 'joint_meeting', zh: '季度联席会', en: 'Quarterly joint meeting', aliases: ['联席会'] },
  {
    code: 'mutual_inspection',
    zh: '年度党建互检',
    en: 'Mutual party-building inspection',
    aliases: ['党建互检'],
  },
  { code: 'daily_help', zh: '日常党建互助', en: 'Day-to-day mutual help', aliases: ['日常互助'] },
  { code: 'four_visits', zh: '四访', en: 'The four kinds of visit (四访)' },
  { code: 'training', zh: '培训', en: 'Training', aliases: ['实用技术培训', '集中整训', '技术培训'] },
  { code: 'donation', zh: '捐赠', en: 'Donation', aliases: ['捐款', '捐物', '捐资'] },
  { code: 'project', zh: '项目', en: 'Project', aliases: ['共建项目', '共建工程'] },
  { code: 'survey', zh: '调研', en: 'Survey', aliases: ['调查摸底', '调查'] },
  { code: 'other', zh: '其他', en: 'Other' },
] as const);
export type VisitKind = CodeOf<typeof VISIT_KINDS>;

/** The sub-kinds of a `four_visits` record [004]. */
export const FOUR_VISIT_TYPES = codeList([
  { code: 'case_down', zh: '带着积案下访', en: 'Down to the people with a backlog case', aliases: ['下访'] },
  { code: 'problem_return', zh: '带着问题回访', en: 'Back with a problem', aliases: ['回访'] },
  { code: 'funds_visit', zh: '带着资金走访', en: 'Round with funds', aliases: ['走访'] },
  { code: 'policy_enquiry', zh: '带着政策询访', en: 'Asking with the policies', aliases: ['询访'] },
] as const);
export type FourVisitType = CodeOf<typeof FOUR_VISIT_TYPES>;

/** Visit kinds that take a sub-kind, and which. */
export const VISIT_SUB_KINDS: Partial<Record<VisitKind, readonly Code[]>> = { four_visits: FOUR_VISIT_TYPES };

/** Whether a visit's sub-kind fits its kind: required where the kind has sub-kinds, absent elsewhere. */
export function isValidVisitSubKind(kind: VisitKind, subKind: string | null | undefined): boolean {
  const subs = VISIT_SUB_KINDS[kind];
  if (!subs) return subKind == null || subKind === '';
  return subs.some((s) => s.code === subKind);
}

/**
 * Units of a visit's outcomes [001][003][004]. `measure` names what is measured; `decimals` is how
 * many decimal places a value may have (yuan to the fen, km and mu to a tenth; counts are whole).
 */
export const OUTCOME_UNITS = codeList([
  { code: 'yuan', zh: '元', en: 'yuan', measure: { zh: '资金', en: 'Funds' }, decimals: 2 },
  {
    code: 'person_times',
    zh: '人次',
    en: 'person-times',
    measure: { zh: '培训', en: 'Training' },
    decimals: 0,
  },
  { code: 'projects', zh: '个项目', en: 'projects', measure: { zh: '项目', en: 'Projects' }, decimals: 0 },
  {
    code: 'households',
    zh: '户',
    en: 'households',
    measure: { zh: '帮扶户数', en: 'Households helped' },
    decimals: 0,
  },
  { code: 'km', zh: '公里', en: 'km', measure: { zh: '道路', en: 'Road' }, decimals: 1 },
  { code: 'mu', zh: '亩', en: 'mu', measure: { zh: '种植面积', en: 'Area planted' }, decimals: 1 },
  { code: 'items', zh: '件', en: 'items', measure: { zh: '物资', en: 'Materials' }, decimals: 0 },
  { code: 'people', zh: '人', en: 'people', measure: { zh: '人数', en: 'People' }, decimals: 0 },
] as const satisfies readonly (Code & { measure: { zh: string; en: string }; decimals: number })[]);
export type OutcomeUnit = CodeOf<typeof OUTCOME_UNITS>;

/** Whether an outcome value fits its unit: finite, not negative, no more decimals than the unit has. */
export function isValidOutcome(unit: OutcomeUnit, value: number): boolean {
  const u = OUTCOME_UNITS.find((x) => x.code === unit);
  if (!u || !Number.isFinite(value) || value < 0) return false;
  const scaled = value * 10 ** u.decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/** The year-end opinion of the helped side and its branch (签署意见) [000]. */
export const OPINIONS = codeList([
  { code: 'satisfied', zh: '满意', en: 'Satisfied' },
  { code: 'basically_satisfied', zh: '基本满意', en: 'Basically satisfied', aliases: ['较满意', '比较满意'] },
  { code: 'unsatisfied', zh: '不满意', en: 'Unsatisfied' },
] as const);
export type Opinion = CodeOf<typeof OPINIONS>;

/** What a quota counts: visits made at the helped side's place only, or any recorded visit. */
export const QUOTA_BASES = codeList([
  { code: 'on_site', zh: '到点(实地)', en: 'On site only' },
  { code: 'any', zh: '不限', en: 'Any' },
] as const);
export type QuotaBasis = CodeOf<typeof QUOTA_BASES>;

// ---------------------------------------------------------------------------------------------
// Quota rules
// ---------------------------------------------------------------------------------------------

export interface QuotaByRank {
  county: number;
  section: number;
  /** For leaders of another rank; when absent they owe the highest of the ranks given. */
  other?: number;
}

/**
 * A yearly quota, as data.
 * - `visitsPerYear`: a number, or one number per leader rank. 0 means "no visit quota": the pairing is
 *   judged by its card tasks and the year-end sign-off, and the compliance engine reports `hasQuota: false`.
 * - `countsVisitKinds`: only visits of these kinds count towards the quota.
 * - `basis`: 'on_site' counts only visits made at the helped side's place (到点), 'any' counts every visit
 *   of a counted kind.
 */
export interface QuotaRule {
  visitsPerYear: number | { byRank: QuotaByRank };
  countsVisitKinds: readonly VisitKind[];
  basis: QuotaBasis;
}

/** The county's edit of a kind's rule: each field given replaces the built-in field whole. */
export type QuotaOverride = Partial<QuotaRule>;
export type CountyQuotaOverrides = Partial<Record<PairingKindCode, QuotaOverride>>;

// ---------------------------------------------------------------------------------------------
// Pairing kinds
// ---------------------------------------------------------------------------------------------

export type PairingKindCode =
  | 'leader_contact'
  | 'branch_cobuild'
  | 'member_assist'
  | 'household_link'
  | 'sanbao_dept_township'
  | 'sanbao_cadre_village'
  | 'sanbao_village_group'
  | 'sanbao_member_household'
  | 'stationed_team'
  | 'urban_rural'
  | 'village_enterprise'
  | 'village_village'
  | 'co_resident'
  | 'two_officers';

export interface PairingKindDef {
  code: PairingKindCode;
  zh: string;
  en: string;
  aliases?: readonly string[];
  /** The programme the kind belongs to, where it is one of several (三包为民). */
  family?: { zh: string; en: string };
  /** What the helper side may be; the first is the usual one. */
  helper: readonly SideType[];
  /** What the helped side may be; the first is the usual one. */
  helped: readonly SideType[];
  cardinality: readonly Cardinality[];
  /** How such pairings are formed; the first is the default. */
  formations: readonly Formation[];
  /** The plan each pairing of the kind has for its year. */
  plan: { zh: string; en: string };
  responsible: Responsible;
  defaultQuota: QuotaRule;
  /**
   * The kinds of visit a pairing of the kind records; all of them when absent. A member helping a
   * household holds no 季度联席会: meetings between organisations are for organisations.
   */
  visitKinds?: readonly VisitKind[];
  /** Standing systems a pairing of the kind carries by default. */
  obligations?: readonly SystemCode[];
  /** The seed reports the kind comes from. */
  sources: readonly string[];
}

const NO_QUOTA = 0;
/** Visit kinds that are help given to the helped side, for the kinds without a seed quota. */
const HELP_KINDS: readonly VisitKind[] = [
  'on_site_work',
  'meet_family',
  'daily_help',
  'four_visits',
  'training',
  'donation',
  'project',
  'survey',
];
/** What a person or household helped by a member is visited for: help, not meetings of organisations. */
const PERSONAL_VISIT_KINDS: readonly VisitKind[] = [...HELP_KINDS, 'other'];
const SANBAO = { zh: '三包为民', en: 'Three contracts for the people (三包为民)' };
const ALL_FIVE: readonly SystemCode[] = FIVE_SYSTEMS.map((s) => s.code);

export const PAIRING_KINDS: readonly PairingKindDef[] = [
  {
    code: 'leader_contact',
    zh: '领导联点',
    en: 'Leader contact point',
    aliases: ['领导干部党建联系点', '党建联系点', '联点'],
    helper: ['leader'],
    helped: ['org'],
    cardinality: ['one_to_one', 'one_to_many'],
    formations: ['assigned'],
    plan: { zh: '联点工作方案', en: 'Contact point work plan' },
    responsible: 'helper',
    // [000] 县级领导干部每年到点工作不少于6次，科级领导干部每年到点工作不少于12次.
    defaultQuota: {
      visitsPerYear: { byRank: { county: 6, section: 12 } },
      countsVisitKinds: ['on_site_work'],
      basis: 'on_site',
    },
    sources: ['000'],
  },
  {
    code: 'branch_cobuild',
    zh: '支部联建',
    en: 'Branch co-building',
    aliases: ['支部共建', '互助共建'],
    helper: ['org'],
    helped: ['org'],
    cardinality: ['one_to_one'],
    formations: ['assigned', 'chosen'],
    plan: { zh: '支部共建方案', en: 'Branch co-building plan' },
    responsible: 'helper_branch_secretary',
    // [000] 实行联点支部书记负责制 … 明确要求年到点开展工作4次以上: work done at the helped branch counts,
    // whether a plain work visit or one of the standing systems held there.
    defaultQuota: {
      visitsPerYear: 4,
      countsVisitKinds: [
        'on_site_work',
        'collective_day',
        'cross_learning',
        'joint_meeting',
        'mutual_inspection',
      ],
      basis: 'on_site',
    },
    obligations: ALL_FIVE,
    sources: ['000', '001'],
  },
  {
    code: 'member_assist',
    zh: '党员联帮',
    en: 'Member assistance',
    aliases: ['党员帮扶', '结对帮扶'],
    helper: ['member'],
    helped: ['member', 'household'],
    cardinality: ['one_to_one', 'one_to_many', 'many_to_one'],
    formations: ['assigned', 'chosen'],
    plan: { zh: '党员帮扶方案', en: 'Member assistance plan' },
    responsible: 'helper',
    // [000] tasks set in the card and register at the start of the year, no visit count.
    visitKinds: PERSONAL_VISIT_KINDS,
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'any' },
    sources: ['000', '004'],
  },
  {
    code: 'household_link',
    zh: '联户帮带',
    en: 'Household linking',
    aliases: ['党员联户', '联户'],
    helper: ['member'],
    helped: ['household'],
    cardinality: ['one_to_one', 'one_to_many', 'many_to_one'],
    formations: ['assigned', 'chosen', 'mass_chosen'],
    plan: { zh: '联户帮带方案', en: 'Household linking plan' },
    responsible: 'helper',
    visitKinds: PERSONAL_VISIT_KINDS,
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'any' },
    sources: ['002', '004'],
  },
  {
    code: 'sanbao_dept_township',
    zh: '部门包乡',
    en: 'Department contracts a township',
    aliases: ['包乡'],
    family: SANBAO,
    helper: ['unit', 'team'],
    helped: ['place'],
    cardinality: ['one_to_one', 'many_to_one'],
    formations: ['assigned'],
    plan: { zh: '包乡工作方案', en: 'Township contract work plan' },
    responsible: 'team_leader',
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'on_site' },
    sources: ['004'],
  },
  {
    code: 'sanbao_cadre_village',
    zh: '干部包村',
    en: 'Cadre contracts a village',
    aliases: ['县乡干部包村', '包村'],
    family: SANBAO,
    helper: ['leader', 'member', 'team'],
    helped: ['place'],
    cardinality: ['one_to_one', 'many_to_one'],
    formations: ['assigned'],
    plan: { zh: '包村工作方案', en: 'Village contract work plan' },
    responsible: 'helper',
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'on_site' },
    sources: ['004'],
  },
  {
    code: 'sanbao_village_group',
    zh: '村干部包组',
    en: 'Village cadre contracts a villager group',
    aliases: ['包组'],
    family: SANBAO,
    helper: ['member'],
    helped: ['place'],
    cardinality: ['one_to_one', 'one_to_many'],
    formations: ['assigned'],
    plan: { zh: '包组工作方案', en: 'Group contract work plan' },
    responsible: 'helper',
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'on_site' },
    sources: ['004'],
  },
  {
    code: 'sanbao_member_household',
    zh: '党员包户',
    en: 'Member contracts a household',
    aliases: ['包户'],
    family: SANBAO,
    helper: ['member'],
    helped: ['household'],
    cardinality: ['one_to_one', 'one_to_many'],
    formations: ['assigned'],
    plan: { zh: '包户帮扶方案', en: 'Household contract plan' },
    responsible: 'helper',
    visitKinds: PERSONAL_VISIT_KINDS,
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'on_site' },
    sources: ['004'],
  },
  {
    code: 'stationed_team',
    zh: '驻村工作队',
    en: 'Stationed village work team',
    aliases: ['驻村工作组', '驻村'],
    helper: ['team'],
    helped: ['place'],
    cardinality: ['one_to_one'],
    formations: ['assigned'],
    plan: { zh: '驻村工作方案', en: 'Stationed team work plan' },
    responsible: 'team_leader',
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'on_site' },
    sources: ['003', '004'],
  },
  {
    code: 'urban_rural',
    zh: '城乡结对',
    en: 'Urban–rural pairing',
    aliases: ['城乡结对共建', '城乡手拉手'],
    helper: ['org'],
    helped: ['org'],
    cardinality: ['one_to_one', 'one_to_many', 'many_to_one'],
    formations: ['assigned', 'chosen'],
    plan: { zh: '城乡结对共建方案', en: 'Urban–rural co-building plan' },
    responsible: 'helper_branch_secretary',
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'any' },
    obligations: ALL_FIVE,
    sources: ['003'],
  },
  {
    code: 'village_enterprise',
    zh: '村企联建',
    en: 'Village–enterprise co-building',
    aliases: ['村企共建'],
    helper: ['org', 'unit'],
    helped: ['org'],
    cardinality: ['one_to_one', 'one_to_many'],
    formations: ['assigned', 'chosen', 'mass_chosen'],
    plan: { zh: '村企联建方案', en: 'Village–enterprise co-building plan' },
    responsible: 'helper_branch_secretary',
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'any' },
    sources: ['003'],
  },
  {
    code: 'village_village',
    zh: '村村/村居联建',
    en: 'Village–village / village–community co-building',
    aliases: ['村村联建', '村居联建', '以强并弱', '以大带小'],
    helper: ['org'],
    helped: ['org'],
    cardinality: ['one_to_one', 'one_to_many'],
    formations: ['assigned', 'chosen', 'mass_chosen'],
    plan: { zh: '村村(村居)联建方案', en: 'Village co-building plan' },
    responsible: 'helper_branch_secretary',
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'any' },
    sources: ['003'],
  },
  {
    code: 'co_resident',
    zh: '共驻共建',
    en: 'Co-residence co-building',
    aliases: ['社区共驻共建'],
    helper: ['unit', 'leader'],
    helped: ['place'],
    cardinality: ['one_to_one', 'many_to_one'],
    formations: ['assigned'],
    plan: { zh: '共驻共建方案', en: 'Co-residence co-building plan' },
    responsible: 'helper',
    defaultQuota: { visitsPerYear: NO_QUOTA, countsVisitKinds: HELP_KINDS, basis: 'any' },
    sources: ['002'],
  },
  {
    code: 'two_officers',
    zh: '两员(党建指导员/联络员)',
    en: 'Party-building instructor / liaison (两员)',
    aliases: ['两员', '党建指导员', '党建联络员', '指导员', '联络员'],
    helper: ['member'],
    helped: ['unit', 'org'],
    cardinality: ['one_to_one', 'one_to_many'],
    formations: ['assigned'],
    plan: { zh: '党建指导工作方案', en: 'Party-building guidance plan' },
    responsible: 'helper',
    // [002] 每季度…回查走访: a quarterly visit to the non-public organisation, so 4 a year on site.
    defaultQuota: { visitsPerYear: 4, countsVisitKinds: ['on_site_work'], basis: 'on_site' },
    sources: ['002'],
  },
];

export const PAIRING_KIND_CODES = PAIRING_KINDS.map((k) => k.code) as [PairingKindCode, ...PairingKindCode[]];

/** The kind definition for a code, or undefined. */
export const pairingKind = (code: string): PairingKindDef | undefined =>
  PAIRING_KINDS.find((k) => k.code === code);

/** The kinds of visit a pairing of this kind records (the kind's list, or every kind). */
export function visitKindsFor(code: string): readonly VisitKind[] {
  return pairingKind(code)?.visitKinds ?? VISIT_KINDS.map((v) => v.code);
}

/** The quota rule in force for a kind: the built-in one, with the county's override of each field given. */
export function effectiveRule(
  kind: PairingKindCode | PairingKindDef,
  countyOverrides?: CountyQuotaOverrides | null,
): QuotaRule {
  const def = typeof kind === 'string' ? pairingKind(kind) : kind;
  if (!def) throw new RangeError(`未知的结对类型：${String(kind)} / unknown pairing kind`);
  const o = countyOverrides?.[def.code] ?? {};
  return {
    visitsPerYear: o.visitsPerYear ?? def.defaultQuota.visitsPerYear,
    countsVisitKinds: o.countsVisitKinds ?? def.defaultQuota.countsVisitKinds,
    basis: o.basis ?? def.defaultQuota.basis,
  };
}

/**
 * Visits a year the rule asks of this helper, before any proration. A rule by rank asks the rank's
 * number; a leader of another rank, or of no recorded rank, owes `other` when the county set it and
 * otherwise the highest number of the rule — missing data shows up as a shortfall, never hides one.
 */
export function requiredPerYear(rule: QuotaRule, helper: { leaderRank?: LeaderRank | null } = {}): number {
  const v = rule.visitsPerYear;
  if (typeof v === 'number') return v;
  const rank = helper.leaderRank;
  if (rank === 'county') return v.byRank.county;
  if (rank === 'section') return v.byRank.section;
  return v.byRank.other ?? Math.max(v.byRank.county, v.byRank.section);
}

export interface RuleProblem {
  field: 'visitsPerYear' | 'countsVisitKinds' | 'basis';
  message: string;
}

const isCount = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 366;

/** What is wrong with a county's override (or a whole rule); empty when it may be saved. */
export function checkQuotaRule(rule: QuotaOverride): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const v = rule.visitsPerYear;
  if (v !== undefined) {
    const ok =
      typeof v === 'number'
        ? isCount(v)
        : typeof v === 'object' &&
          v !== null &&
          isCount(v.byRank?.county) &&
          isCount(v.byRank?.section) &&
          (v.byRank.other === undefined || isCount(v.byRank.other));
    if (!ok) {
      problems.push({
        field: 'visitsPerYear',
        message: '每年次数须为0至366的整数 / visits a year must be a whole number from 0 to 366',
      });
    }
  }
  const kinds = rule.countsVisitKinds;
  if (kinds !== undefined) {
    const known = new Set<string>(VISIT_KINDS.map((k) => k.code));
    if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !known.has(k))) {
      problems.push({
        field: 'countsVisitKinds',
        message: '计入的走访类型须至少一种且为已知类型 / count at least one known visit kind',
      });
    }
  }
  if (rule.basis !== undefined && !QUOTA_BASES.some((b) => b.code === rule.basis)) {
    problems.push({ field: 'basis', message: '计数依据须为到点或不限 / basis must be on_site or any' });
  }
  return problems;
}

export interface PairingShape {
  helperType: SideType;
  helpedType: SideType;
  cardinality: Cardinality;
  formation: Formation;
}

export type PairingShapeProblem = keyof PairingShape;

/** Which parts of a proposed pairing do not fit its kind (empty when it fits). */
export function checkPairingShape(kind: PairingKindDef, shape: PairingShape): PairingShapeProblem[] {
  const problems: PairingShapeProblem[] = [];
  if (!kind.helper.includes(shape.helperType)) problems.push('helperType');
  if (!kind.helped.includes(shape.helpedType)) problems.push('helpedType');
  if (!kind.cardinality.includes(shape.cardinality)) problems.push('cardinality');
  if (!kind.formations.includes(shape.formation)) problems.push('formation');
  return problems;
}
