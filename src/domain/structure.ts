import { yearsBetween } from './dates.ts';

/**
 * Age bands used by the county's structure statistics (the report looks for "high average age").
 * The bands follow the party's own statistical tables.
 */
export const AGE_BANDS = [
  { code: 'under_30', zh: '30岁及以下', en: '30 and under', max: 30 },
  { code: '31_40', zh: '31-40岁', en: '31-40', max: 40 },
  { code: '41_50', zh: '41-50岁', en: '41-50', max: 50 },
  { code: '51_60', zh: '51-60岁', en: '51-60', max: 60 },
  { code: '61_70', zh: '61-70岁', en: '61-70', max: 70 },
  { code: 'over_70', zh: '71岁及以上', en: '71 and over', max: Number.POSITIVE_INFINITY },
] as const;

export type AgeBand = (typeof AGE_BANDS)[number]['code'];

export function ageBandOf(age: number): AgeBand {
  return AGE_BANDS.find((b) => age <= b.max)!.code;
}

export const ageOn = (birthDate: string, onDate: string) => yearsBetween(birthDate, onDate);

/** 老党员: fifty years or more of party standing (the 光荣在党50年 threshold). */
export const isVeteranMember = (joinDate: string | null, onDate: string) =>
  joinDate !== null && yearsBetween(joinDate, onDate) >= 50;
