import type { Rng } from './rng.ts';

/** Splits a whitespace-separated word list: long name lists stay readable as a block of text. */
export const words = (text: string): string[] => text.trim().split(/\s+/);

/**
 * Surnames with their approximate share of China's population (per cent, 2020 census order), so a
 * branch roster reads like a real one: many 王, 李, 张; the odd 覃 or 莫.
 */
const SURNAME_TABLE = `
  王7.12 李7.00 张6.74 刘5.10 陈4.61 杨3.22 黄2.45 赵2.23 吴2.05 周1.91
  徐1.45 孙1.38 马1.29 朱1.28 胡1.16 郭1.15 何1.06 林1.02 高1.00 罗0.95
  郑0.90 梁0.86 谢0.78 宋0.68 唐0.67 许0.63 韩0.61 冯0.60 邓0.59 曹0.58
  彭0.55 曾0.54 肖0.53 田0.52 董0.51 袁0.49 潘0.48 于0.48 蒋0.47 蔡0.46
  余0.45 杜0.44 叶0.43 程0.42 苏0.41 魏0.40 吕0.39 丁0.38 任0.37 沈0.36
  姚0.35 卢0.34 姜0.33 崔0.32 钟0.31 谭0.30 陆0.29 汪0.28 范0.27 金0.26
  石0.25 廖0.24 贾0.23 夏0.22 韦0.21 付0.21 方0.20 白0.20 邹0.19 孟0.19
  熊0.18 秦0.18 邱0.17 江0.17 尹0.16 薛0.16 闫0.15 段0.15 雷0.14 侯0.14
  龙0.13 史0.13 陶0.12 黎0.12 贺0.12 顾0.11 毛0.11 郝0.10 龚0.10 邵0.10
  万0.09 钱0.09 严0.09 覃0.08 武0.08 戴0.08 莫0.07 孔0.07 向0.07 汤0.07`;

export const SURNAMES: readonly (readonly [string, number])[] = [
  ...SURNAME_TABLE.matchAll(/(\S)([\d.]+)/g),
].map((m) => [m[1]!, Number(m[2])] as const);

// Given-name characters differ by generation: a member born in 1950 is 建国 or 桂兰, one born in
// 1995 is 浩然 or 欣怡. Mixing them up is the first thing a county clerk would notice.
const MALE_OLDER = [
  ...'国建军民华明平强伟勇刚志忠海东成春生德福贵学兵良庆祥荣永长新红中光胜云山金义才保文武富林峰',
];
const MALE_YOUNGER = [...'伟强磊杰涛斌超鹏飞鑫波宇浩凯健俊帆帅旭宁龙峰辉博阳然轩睿哲晨航铭泽豪毅'];
const FEMALE_OLDER = [...'秀英兰芳桂珍凤华玉翠菊香淑花春平荣金巧美红梅琴云莲霞艳丽娟敏素玲'];
const FEMALE_YOUNGER = [...'芳娜敏静丽艳娟霞洁燕萍雪慧婷颖倩琳晶欣月丹莉佳悦雯怡璐瑶琪萱涵蕾'];

export type Gender = 'male' | 'female';

export interface NameOptions {
  /** Surnames to favour: villages are often dominated by one or two clans. */
  clans?: readonly string[];
  /** Share of people drawn from `clans` (0–1). */
  clanShare?: number;
}

export function pickSurname(rng: Rng, options: NameOptions = {}): string {
  const { clans, clanShare = 0 } = options;
  if (clans && clans.length > 0 && rng.chance(clanShare)) return rng.pick(clans);
  return rng.weighted(SURNAMES);
}

/** A full name (surname + one or two characters) fitting the person's gender and generation. */
export function personName(rng: Rng, gender: Gender, birthYear: number, options: NameOptions = {}): string {
  const younger = birthYear >= 1980;
  const chars =
    gender === 'male' ? (younger ? MALE_YOUNGER : MALE_OLDER) : younger ? FEMALE_YOUNGER : FEMALE_OLDER;
  const surname = pickSurname(rng, options);
  const first = rng.pick(chars);
  if (rng.chance(younger ? 0.3 : 0.4)) return surname + first;
  let second = rng.pick(chars);
  // Doubled characters (丽丽, 婷婷) happen, mostly for women; otherwise redraw once.
  if (second === first && (gender === 'male' || rng.chance(0.5))) second = rng.pick(chars);
  return surname + first + second;
}

/** Ethnic groups of a fictional inland county: overwhelmingly 汉族, a few others. */
const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['汉族', 95.5],
  ['回族', 1.5],
  ['土家族', 1.0],
  ['苗族', 0.8],
  ['满族', 0.4],
  ['壮族', 0.3],
  ['蒙古族', 0.2],
  ['彝族', 0.2],
  ['藏族', 0.1],
];

export const pickEthnicity = (rng: Rng): string => rng.weighted(ETHNICITIES);
