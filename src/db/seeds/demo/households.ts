import type { HouseholdCategory } from '../../../domain/codes.ts';
import { birthDateForAge } from './dates.ts';
import type { IdNumbers, Phones } from './identity.ts';
import { type Gender, personName, words } from './names.ts';
import type { OrgNode, OrgTree } from './orgs.ts';
import type { PlaceNode } from './places.ts';
import { drawAge, type Shares } from './profiles.ts';
import { type Rng, sampleWeighted } from './rng.ts';

/** A household before it is written: `org`, `village` and `group` become ids once those exist. */
export interface HouseholdSeed {
  org: OrgNode;
  village: PlaceNode;
  group: PlaceNode;
  head_name: string;
  head_id_number: string | null;
  phone: string | null;
  size: number;
  category: HouseholdCategory;
  address: string;
  notes: string | null;
}

/** The seed pairs members with 418 needy households [000]; the register holds somewhat more. */
export const NEEDY_HOUSEHOLDS = 536;

const HEAD_AGES = [
  [28, 45, 25],
  [46, 60, 35],
  [61, 75, 28],
  [76, 90, 12],
] as const;
const NEEDY_KINDS: Shares<HouseholdCategory> = {
  poor: 35,
  subsistence: 28,
  hardship: 17,
  extreme_poor: 10,
  five_guarantee: 10,
};
const OTHER_KINDS: Shares<HouseholdCategory> = { ordinary: 92.5, large_grower: 5, tech_demo: 2.5 };
// Why a household is needy decides what help fits it (联户帮带 [002][004]), so the register says.
const HARDSHIP_CAUSES: Shares<string> = {
  因病致贫: 35,
  因残致贫: 15,
  缺劳动力: 15,
  因学致贫: 10,
  缺技术: 10,
  缺资金: 10,
  因灾致贫: 5,
};
const CROPS = words('茶叶 烤烟 油茶 中药材 猕猴桃 食用菌 蔬菜 柑橘 核桃');
const LIVESTOCK = words('生猪 肉牛 山羊 蛋鸡');
/** Household sizes: the needy are mostly small households (the old, the widowed). */
const NEEDY_SIZES: Shares<string> = { 1: 15, 2: 25, 3: 25, 4: 20, 5: 10, 6: 5 };
const TYPICAL_SIZES: Shares<string> = { 1: 4, 2: 14, 3: 24, 4: 26, 5: 18, 6: 9, 7: 5 };

export interface HouseholdContext {
  rng: Rng;
  ids: IdNumbers;
  phones: Phones;
  countyName: string;
  anchor: string;
}

interface Head {
  org: OrgNode;
  village: PlaceNode;
  group: PlaceNode;
  age: number;
  name: string;
  idNumber: string | null;
  phone: string | null;
  address: string;
}

/** 20 to 45 households in every 行政村, of which exactly NEEDY_HOUSEHOLDS are needy county-wide. */
export function generateHouseholds(ctx: HouseholdContext, tree: OrgTree): HouseholdSeed[] {
  const { rng } = ctx;
  const heads: Head[] = [];
  for (const org of tree.villageBranches) {
    const village = org.branch!.village!;
    const count = rng.int(20, 45);
    for (let i = 0; i < count; i++) {
      const gender: Gender = rng.chance(0.85) ? 'male' : 'female';
      const age = drawAge(rng, HEAD_AGES);
      const birth = birthDateForAge(rng, age, ctx.anchor);
      const group = rng.pick(village.groups);
      heads.push({
        org,
        village: village.place,
        group,
        age,
        name: personName(rng, gender, Number(birth.slice(0, 4)), { clans: village.clans, clanShare: 0.45 }),
        // A few registers lack the head's ID number; the column allows it.
        idNumber: rng.chance(0.015) ? null : ctx.ids.next(birth, gender),
        phone: age >= 75 && rng.chance(0.5) ? null : ctx.phones.next(),
        address: `${ctx.countyName}${village.township.name}${village.name}${group.name}`,
      });
    }
  }

  const needyWeights = heads.map((h) => (h.age >= 65 ? 3 : h.age >= 50 ? 1.5 : 0.6));
  const needy = new Set(sampleWeighted(rng, needyWeights, NEEDY_HOUSEHOLDS));

  return heads.map((h, i) => {
    const category = needy.has(i) ? needyKind(rng, h.age) : rng.weightedKey(OTHER_KINDS);
    return {
      org: h.org,
      village: h.village,
      group: h.group,
      head_name: h.name,
      head_id_number: h.idNumber,
      phone: h.phone,
      size: sizeOf(rng, category),
      category,
      address: h.address,
      notes: notesOf(rng, category),
    };
  });
}

/** 五保 is for the old without family to support them; the other needy kinds can be anyone. */
function needyKind(rng: Rng, age: number): HouseholdCategory {
  return rng.weightedKey(age >= 60 ? NEEDY_KINDS : { ...NEEDY_KINDS, five_guarantee: 0 });
}

function sizeOf(rng: Rng, category: HouseholdCategory): number {
  if (category === 'five_guarantee') return 1;
  if (category === 'extreme_poor') return rng.int(1, 2);
  const typical = category === 'ordinary' || category === 'large_grower' || category === 'tech_demo';
  return Number(rng.weightedKey(typical ? TYPICAL_SIZES : NEEDY_SIZES));
}

function notesOf(rng: Rng, category: HouseholdCategory): string | null {
  switch (category) {
    case 'five_guarantee':
      return '无劳动能力、无法定赡养人';
    case 'large_grower':
      return rng.chance(0.7)
        ? `种植${rng.pick(CROPS)}${rng.int(30, 300)}亩`
        : `养殖${rng.pick(LIVESTOCK)}${rng.int(50, 800)}头(只)`;
    case 'tech_demo':
      return `${rng.pick(CROPS)}科技示范户`;
    case 'ordinary':
      return null;
    default:
      return rng.weightedKey(HARDSHIP_CAUSES);
  }
}
