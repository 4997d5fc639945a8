import type { EducationLevel } from '../../../domain/codes.ts';
import type { Rng } from './rng.ts';

/** Which kind of people fill a branch: decides age, gender, education and occupation. */
export type Profile =
  | 'rural'
  | 'township_agency'
  | 'agency'
  | 'police'
  | 'school'
  | 'medical'
  | 'institution'
  | 'state_enterprise'
  | 'private_enterprise'
  | 'community'
  | 'social_org'
  | 'retired';

export type Shares<K extends string> = Partial<Record<K, number>>;
type AgeBand = readonly [min: number, max: number, weight: number];

export interface ProfileSpec {
  /** Share of women. */
  female: number;
  ages: readonly AgeBand[];
  education: (age: number) => Shares<EducationLevel>;
  occupations: Shares<string>;
  /** Age at joining the party, youngest and oldest (never under 18). */
  joinAge: readonly [number, number];
  /** Chance of working away from home (流动党员), by age. */
  mobile: (age: number) => number;
  lostContact: number;
}

const bands = (...list: AgeBand[]) => list;
const never = () => 0;

export function drawAge(rng: Rng, ages: readonly AgeBand[]): number {
  const [min, max] = rng.weighted(ages.map((b) => [b, b[2]] as const));
  return rng.int(min, max);
}

const GRADUATES: Shares<EducationLevel> = {
  postgraduate: 10,
  bachelor: 58,
  college: 25,
  secondary_vocational: 4,
  high_school: 3,
};
const WORKING_AGE = bands([24, 30, 15], [31, 40, 30], [41, 50, 30], [51, 59, 25]);
const YOUNGER_STAFF = bands([23, 30, 20], [31, 40, 30], [41, 50, 30], [51, 59, 20]);

// The county's structure report looks for "few women, high average age, low education" in the
// villages [004]; these shares make that pattern visible against the county's offices.
export const PROFILES: Record<Profile, ProfileSpec> = {
  rural: {
    female: 0.22,
    ages: bands([22, 34, 7], [35, 49, 20], [50, 64, 36], [65, 79, 30], [80, 92, 7]),
    education: (age) =>
      age < 40
        ? { junior_high: 30, high_school: 30, secondary_vocational: 15, college: 20, bachelor: 5 }
        : age < 60
          ? { primary: 15, junior_high: 50, high_school: 25, secondary_vocational: 6, college: 4 }
          : { primary: 50, junior_high: 38, high_school: 10, secondary_vocational: 2 },
    occupations: {
      农民: 84,
      个体工商户: 5,
      农民专业合作社负责人: 3,
      退役军人: 3,
      乡村医生: 1,
      退休教师: 2,
      养殖户: 2,
    },
    joinAge: [19, 45],
    mobile: (age) => (age < 55 ? 0.14 : 0.02),
    lostContact: 0.004,
  },
  township_agency: {
    female: 0.36,
    ages: bands([24, 30, 20], [31, 40, 30], [41, 50, 30], [51, 59, 20]),
    education: () => ({
      postgraduate: 4,
      bachelor: 50,
      college: 35,
      secondary_vocational: 6,
      high_school: 5,
    }),
    occupations: { 公务员: 65, 事业单位工作人员: 35 },
    joinAge: [18, 32],
    mobile: never,
    lostContact: 0,
  },
  agency: {
    female: 0.42,
    ages: WORKING_AGE,
    education: () => GRADUATES,
    occupations: { 公务员: 75, 事业单位工作人员: 18, 机关工勤人员: 7 },
    joinAge: [18, 32],
    mobile: never,
    lostContact: 0,
  },
  police: {
    female: 0.18,
    ages: YOUNGER_STAFF,
    education: () => ({ postgraduate: 4, bachelor: 55, college: 38, high_school: 3 }),
    occupations: { 人民警察: 92, 警务辅助人员: 8 },
    joinAge: [18, 30],
    mobile: never,
    lostContact: 0,
  },
  school: {
    female: 0.45,
    ages: YOUNGER_STAFF,
    education: () => ({ postgraduate: 8, bachelor: 65, college: 25, secondary_vocational: 2 }),
    occupations: { 教师: 85, 学校管理人员: 10, 后勤人员: 5 },
    joinAge: [18, 35],
    mobile: never,
    lostContact: 0,
  },
  medical: {
    female: 0.45,
    ages: bands([24, 30, 20], [31, 40, 32], [41, 50, 28], [51, 59, 20]),
    education: () => ({ postgraduate: 8, bachelor: 50, college: 35, secondary_vocational: 7 }),
    occupations: { 医生: 45, 护士: 30, 医技人员: 15, 医院管理人员: 10 },
    joinAge: [18, 35],
    mobile: never,
    lostContact: 0,
  },
  institution: {
    female: 0.38,
    ages: WORKING_AGE,
    education: () => GRADUATES,
    occupations: { 事业单位工作人员: 60, 专业技术人员: 40 },
    joinAge: [18, 35],
    mobile: never,
    lostContact: 0,
  },
  state_enterprise: {
    female: 0.3,
    ages: YOUNGER_STAFF,
    education: () => ({ bachelor: 40, college: 35, secondary_vocational: 15, high_school: 10 }),
    occupations: { 企业管理人员: 30, 专业技术人员: 30, 企业职工: 40 },
    joinAge: [18, 35],
    mobile: never,
    lostContact: 0,
  },
  private_enterprise: {
    female: 0.35,
    ages: bands([22, 30, 30], [31, 40, 35], [41, 50, 25], [51, 58, 10]),
    education: () => ({
      bachelor: 20,
      college: 30,
      secondary_vocational: 20,
      high_school: 25,
      junior_high: 5,
    }),
    occupations: { 企业职工: 55, 企业管理人员: 25, 专业技术人员: 20 },
    joinAge: [18, 35],
    mobile: () => 0.02,
    lostContact: 0.005,
  },
  community: {
    female: 0.5,
    ages: bands([25, 40, 20], [41, 59, 30], [60, 85, 50]),
    education: (age) =>
      age < 45
        ? { bachelor: 40, college: 45, high_school: 15 }
        : { college: 20, secondary_vocational: 20, high_school: 35, junior_high: 20, primary: 5 },
    occupations: { 社区工作者: 25, 退休人员: 45, 个体工商户: 15, 自由职业者: 15 },
    joinAge: [18, 40],
    mobile: never,
    lostContact: 0,
  },
  social_org: {
    female: 0.4,
    ages: bands([25, 35, 30], [36, 50, 45], [51, 62, 25]),
    education: () => ({ postgraduate: 6, bachelor: 54, college: 30, high_school: 10 }),
    occupations: { 社会组织工作者: 1 },
    joinAge: [18, 40],
    mobile: never,
    lostContact: 0,
  },
  retired: {
    female: 0.4,
    ages: bands([60, 70, 50], [71, 80, 35], [81, 90, 15]),
    education: () => ({ bachelor: 35, college: 40, secondary_vocational: 20, high_school: 5 }),
    occupations: { 退休人员: 1 },
    joinAge: [20, 40],
    mobile: never,
    lostContact: 0,
  },
};

/** Leaders and village cadres, whatever the branch: who they are does not follow the branch's mix. */
export const COUNTY_LEADER = {
  ages: [45, 58] as const,
  female: 0.15,
  education: { postgraduate: 35, bachelor: 58, college: 7 } as Shares<EducationLevel>,
};
export const SECTION_LEADER = {
  ages: [30, 58] as const,
  female: 0.25,
  education: { postgraduate: 12, bachelor: 65, college: 23 } as Shares<EducationLevel>,
};
export const VILLAGE_CADRE = {
  ages: [32, 62] as const,
  /** The secretary (书记) is rarely a woman; the committee members more often. */
  female: [0.08, 0.25] as const,
  education: {
    junior_high: 35,
    high_school: 40,
    secondary_vocational: 10,
    college: 15,
  } as Shares<EducationLevel>,
};

export const MOBILE_DESTINATIONS: Shares<string> = {
  广东省东莞市: 14,
  广东省深圳市: 12,
  广东省广州市: 8,
  广东省佛山市: 6,
  浙江省宁波市: 8,
  浙江省杭州市: 6,
  浙江省义乌市: 5,
  江苏省苏州市: 9,
  江苏省昆山市: 4,
  福建省厦门市: 5,
  福建省晋江市: 4,
  上海市: 8,
  北京市: 5,
  天津市: 2,
  新疆维吾尔自治区乌鲁木齐市: 2,
};
