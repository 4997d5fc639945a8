/**
 * The county's code lists, Chinese first. These mirror the code tables of migration 0001
 * (a test compares them). `aliases` are the other ways county sheets write the same value.
 */
export interface Code<C extends string = string> {
  code: C;
  zh: string;
  en: string;
  aliases?: readonly string[];
}

function codeList<const T extends readonly Code[]>(list: T) {
  return list;
}

export const ORG_KINDS = codeList([
  { code: 'party_committee', zh: '党委', en: 'Party committee', aliases: ['基层党委', '乡镇党委'] },
  { code: 'working_committee', zh: '党工委', en: 'Party working committee', aliases: ['工委'] },
  { code: 'general_branch', zh: '党总支', en: 'General party branch', aliases: ['总支', '党总支部'] },
  { code: 'branch', zh: '党支部', en: 'Party branch', aliases: ['支部'] },
  { code: 'joint_branch', zh: '联合党支部', en: 'Joint party branch', aliases: ['联合支部'] },
  { code: 'temporary_branch', zh: '临时党支部', en: 'Temporary party branch', aliases: ['临时支部'] },
] as const);

export const SECTORS = codeList([
  {
    code: 'rural',
    zh: '农村',
    en: 'Rural (administrative village)',
    aliases: ['行政村', '农村(行政村)', '村'],
  },
  { code: 'community', zh: '社区', en: 'Urban community', aliases: ['城市社区', '居委会'] },
  { code: 'agency', zh: '机关', en: 'Government agency', aliases: ['党政机关'] },
  {
    code: 'institution',
    zh: '事业单位/学校',
    en: 'Public institution / school',
    aliases: ['事业单位', '学校'],
  },
  { code: 'state_enterprise', zh: '国有企业', en: 'State-owned enterprise', aliases: ['国企'] },
  {
    code: 'private_enterprise',
    zh: '非公有制企业',
    en: 'Non-public enterprise',
    aliases: ['非公企业', '民营企业'],
  },
  { code: 'social_org', zh: '社会组织', en: 'Social organisation', aliases: [] },
  { code: 'other', zh: '其他', en: 'Other', aliases: [] },
] as const);

export const PLACE_KINDS = codeList([
  { code: 'county', zh: '县', en: 'County' },
  { code: 'town', zh: '镇', en: 'Town' },
  { code: 'township', zh: '乡', en: 'Township' },
  { code: 'subdistrict', zh: '街道', en: 'Subdistrict' },
  { code: 'village', zh: '行政村', en: 'Administrative village' },
  { code: 'community', zh: '社区', en: 'Community' },
  { code: 'group', zh: '村民小组', en: 'Villager group' },
] as const);

export const EDUCATION_LEVELS = codeList([
  {
    code: 'postgraduate',
    zh: '研究生',
    en: 'Postgraduate',
    aliases: ['硕士', '博士', '硕士研究生', '博士研究生'],
  },
  { code: 'bachelor', zh: '大学本科', en: 'Bachelor', aliases: ['本科', '大学'] },
  { code: 'college', zh: '大学专科', en: 'College (3-year)', aliases: ['大专', '专科'] },
  {
    code: 'secondary_vocational',
    zh: '中专',
    en: 'Secondary vocational',
    aliases: ['中技', '中专/中技', '技校'],
  },
  { code: 'high_school', zh: '高中', en: 'Senior high school', aliases: ['高中及以下', '职高'] },
  { code: 'junior_high', zh: '初中', en: 'Junior high school', aliases: [] },
  { code: 'primary', zh: '小学及以下', en: 'Primary school or less', aliases: ['小学', '文盲', '半文盲'] },
] as const);

export const MEMBER_CATEGORIES = codeList([
  { code: 'full', zh: '正式党员', en: 'Full member', aliases: ['正式'] },
  { code: 'probationary', zh: '预备党员', en: 'Probationary member', aliases: ['预备'] },
  { code: 'development_target', zh: '发展对象', en: 'Development target', aliases: [] },
  { code: 'activist', zh: '入党积极分子', en: 'Activist', aliases: ['积极分子'] },
  { code: 'applicant', zh: '入党申请人', en: 'Applicant', aliases: ['申请人'] },
] as const);

export const MEMBER_STATUSES = codeList([
  { code: 'normal', zh: '正常', en: 'Normal', aliases: [] },
  { code: 'mobile', zh: '流动', en: 'Mobile (working away)', aliases: ['流动党员', '外出'] },
  { code: 'lost_contact', zh: '失联', en: 'Lost contact', aliases: ['失去联系'] },
  { code: 'suspended', zh: '停止党籍', en: 'Membership suspended', aliases: [] },
  { code: 'deceased', zh: '去世', en: 'Deceased', aliases: ['死亡', '已故'] },
  { code: 'transferred_out', zh: '已转出', en: 'Transferred out', aliases: ['转出'] },
] as const);

export const LEADER_RANKS = codeList([
  { code: 'county', zh: '县级', en: 'County level', aliases: ['县处级', '处级'] },
  { code: 'section', zh: '科级', en: 'Section level', aliases: ['乡科级'] },
  { code: 'other', zh: '其他', en: 'Other', aliases: [] },
] as const);

export const HOUSEHOLD_CATEGORIES = codeList([
  { code: 'poor', zh: '贫困户', en: 'Poor household', aliases: ['建档立卡贫困户'] },
  { code: 'extreme_poor', zh: '特困户', en: 'Extremely poor household', aliases: ['特困供养户'] },
  { code: 'subsistence', zh: '低保户', en: 'Minimum-subsistence household', aliases: [] },
  { code: 'five_guarantee', zh: '五保户', en: 'Five-guarantee household', aliases: [] },
  { code: 'hardship', zh: '困难户', en: 'Household in hardship', aliases: [] },
  {
    code: 'large_grower',
    zh: '产业大户',
    en: 'Specialised large grower',
    aliases: ['专业户', '产业大户/专业户'],
  },
  { code: 'tech_demo', zh: '科技示范户', en: 'Technology demonstration household', aliases: [] },
  { code: 'ordinary', zh: '一般户', en: 'Ordinary household', aliases: ['普通户'] },
] as const);

export const GENDERS = codeList([
  { code: 'male', zh: '男', en: 'Male', aliases: ['男性'] },
  { code: 'female', zh: '女', en: 'Female', aliases: ['女性'] },
] as const);

type CodeOf<L extends readonly Code[]> = L[number]['code'];
export type OrgKind = CodeOf<typeof ORG_KINDS>;
export type Sector = CodeOf<typeof SECTORS>;
export type PlaceKind = CodeOf<typeof PLACE_KINDS>;
export type EducationLevel = CodeOf<typeof EDUCATION_LEVELS>;
export type MemberCategory = CodeOf<typeof MEMBER_CATEGORIES>;
export type MemberStatus = CodeOf<typeof MEMBER_STATUSES>;
export type LeaderRank = CodeOf<typeof LEADER_RANKS>;
export type HouseholdCategory = CodeOf<typeof HOUSEHOLD_CATEGORIES>;
export type Gender = CodeOf<typeof GENDERS>;

export const codes = <L extends readonly Code[]>(list: L) =>
  list.map((c) => c.code) as unknown as [CodeOf<L>, ...CodeOf<L>[]];

/** Finds a code by its code, Chinese name, English name or an alias, as sheets write them. */
export function lookupCode<L extends readonly Code[]>(list: L, text: string): CodeOf<L> | undefined {
  const t = text.trim().toLowerCase();
  if (!t) return undefined;
  for (const c of list) {
    if (c.code === t || c.zh === t || c.en.toLowerCase() === t || c.aliases?.includes(t)) return c.code;
  }
  return undefined;
}

export const labelOf = <L extends readonly Code[]>(list: L, code: string | null | undefined): string =>
  (code && list.find((c) => c.code === code)?.zh) || '';

/** Statuses of people who no longer count among a branch's members (counts, lists, closing a branch). */
export const FORMER_MEMBER_STATUSES: readonly MemberStatus[] = ['deceased', 'transferred_out'];

/** Kinds counted as 党支部 in the county's figures. */
export const BRANCH_KINDS: readonly OrgKind[] = ['branch', 'joint_branch', 'temporary_branch'];
/** Kinds counted as 基层党(工)委. */
export const COMMITTEE_KINDS: readonly OrgKind[] = ['party_committee', 'working_committee'];
export const NEEDY_HOUSEHOLD_CATEGORIES: readonly HouseholdCategory[] = [
  'poor',
  'extreme_poor',
  'subsistence',
  'five_guarantee',
  'hardship',
];

/** Which place kinds may sit under which: county → 镇/乡/街道 → 行政村/社区 → 村民小组. */
export const PLACE_PARENT: Record<PlaceKind, readonly PlaceKind[]> = {
  county: [],
  town: ['county'],
  township: ['county'],
  subdistrict: ['county'],
  village: ['town', 'township', 'subdistrict'],
  community: ['town', 'township', 'subdistrict'],
  group: ['village', 'community'],
};
