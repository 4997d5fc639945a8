import type { PlaceKind } from '../../../domain/codes.ts';
import { pickSurname } from './names.ts';
import type { Rng } from './rng.ts';

/** A place before it is written; `id` and `path` are filled in once ids are reserved. */
export interface PlaceNode {
  kind: PlaceKind;
  name: string;
  parent: PlaceNode | null;
  id: number;
  path: string;
}

export interface Township {
  name: string;
  kind: 'town' | 'township';
  /** The county seat: county agencies, schools and hospitals sit in it. */
  seat: boolean;
  place: PlaceNode;
  villages: Village[];
  communities: PlaceNode[];
}

export interface Village {
  name: string;
  township: Township;
  place: PlaceNode;
  groups: PlaceNode[];
  /** The one or two clans whose surnames dominate the village's rosters. */
  clans: string[];
}

export interface CountyPlaces {
  county: PlaceNode;
  townships: Township[];
  villages: Village[];
  /** Every place, parents before children: the order they are inserted in. */
  all: PlaceNode[];
}

// The seed county [000]: 9 镇 and 6 乡 with 124 行政村. The county seat has few villages and most
// communities; the remote 乡 are smaller.
const TOWNSHIPS: readonly { name: string; villages: number; communities: readonly string[] }[] = [
  { name: '城关镇', villages: 6, communities: ['东关社区', '西关社区', '南街社区', '北街社区', '青山社区'] },
  { name: '龙泉镇', villages: 11, communities: ['龙泉社区', '新街社区'] },
  { name: '白沙镇', villages: 10, communities: ['白沙社区'] },
  { name: '石桥镇', villages: 10, communities: ['石桥社区'] },
  { name: '清河镇', villages: 9, communities: ['清河社区'] },
  { name: '马坪镇', villages: 9, communities: [] },
  { name: '新集镇', villages: 9, communities: [] },
  { name: '双河镇', villages: 8, communities: [] },
  { name: '高桥镇', villages: 8, communities: [] },
  { name: '柳林乡', villages: 8, communities: [] },
  { name: '金竹乡', villages: 8, communities: [] },
  { name: '杨家坪乡', villages: 7, communities: [] },
  { name: '三岔乡', villages: 7, communities: [] },
  { name: '桃园乡', villages: 7, communities: [] },
  { name: '云岭乡', villages: 7, communities: [] },
];

// Village names as they occur across rural China: landform names (石桥, 柳湾), clan names (张家湾),
// and the collectivisation-era names (红星, 向阳) that many villages kept.
const NAME_HEADS = [...'东西南北上下大小新老前后中高石柳杨桃李梅竹松枫青红白黄金马龙凤鹤牛双三五七九'];
const NAME_TAILS = [...'山河桥岭坪湾沟坡庄寨营塘店铺岗堡坝溪林园田冲垭岩峪洼墩'];
const ERA_NAMES = [
  '太平',
  '永安',
  '长寿',
  '和平',
  '幸福',
  '光明',
  '团结',
  '胜利',
  '红星',
  '向阳',
  '民主',
  '新华',
  '建设',
  '友谊',
  '前进',
  '繁荣',
  '兴隆',
  '富民',
  '联合',
  '丰收',
];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export const groupName = (n: number): string => `${NUMERALS[n - 1]}组`;

const node = (kind: PlaceKind, name: string, parent: PlaceNode | null): PlaceNode => ({
  kind,
  name,
  parent,
  id: 0,
  path: '',
});

export const EXPECTED_TOWNSHIPS = TOWNSHIPS.length;
export const EXPECTED_VILLAGES = TOWNSHIPS.reduce((n, t) => n + t.villages, 0);

export function buildPlaces(rng: Rng, countyName: string): CountyPlaces {
  const county = node('county', countyName, null);
  const all: PlaceNode[] = [county];
  // Village names are unique across the county, so a village branch's short name (东山村党支部)
  // already identifies it, as county staff use it.
  const usedNames = new Set<string>(TOWNSHIPS.map((t) => t.name.slice(0, -1)));
  const townships: Township[] = [];
  const villages: Village[] = [];

  for (const t of TOWNSHIPS) {
    const kind = t.name.endsWith('乡') ? 'township' : 'town';
    const place = node(kind, t.name, county);
    all.push(place);
    const township: Township = {
      name: t.name,
      kind,
      seat: t.name === '城关镇',
      place,
      villages: [],
      communities: [],
    };
    townships.push(township);

    for (let i = 0; i < t.villages; i++) {
      const { name, clan } = villageName(rng, usedNames);
      const vPlace = node('village', name, place);
      all.push(vPlace);
      const clans = clan ? [clan] : [];
      if (clans.length === 0 || rng.chance(0.5)) clans.push(pickSurname(rng));
      const village: Village = { name, township, place: vPlace, groups: [], clans };
      const groups = rng.int(4, 10);
      for (let g = 1; g <= groups; g++) {
        const gPlace = node('group', groupName(g), vPlace);
        village.groups.push(gPlace);
        all.push(gPlace);
      }
      township.villages.push(village);
      villages.push(village);
    }
    for (const c of t.communities) {
      const cPlace = node('community', c, place);
      township.communities.push(cPlace);
      all.push(cPlace);
    }
  }
  return { county, townships, villages, all };
}

function villageName(rng: Rng, used: Set<string>): { name: string; clan: string | null } {
  for (;;) {
    let stem: string;
    let clan: string | null = null;
    const r = rng.next();
    if (r < 0.15) {
      stem = rng.pick(ERA_NAMES);
    } else if (r < 0.35) {
      clan = pickSurname(rng);
      stem = `${clan}家${rng.pick(NAME_TAILS)}`;
    } else {
      stem = rng.pick(NAME_HEADS) + rng.pick(NAME_TAILS);
    }
    if (!used.has(stem)) {
      used.add(stem);
      return { name: `${stem}村`, clan };
    }
  }
}
