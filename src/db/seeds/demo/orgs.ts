import type { OrgKind, Sector } from '../../../domain/codes.ts';
import { type BranchDef, countyCommittees, FIRM_NAMES, INDUSTRIES, townshipBranches } from './catalogue.ts';
import type { CountyPlaces, PlaceNode, Township, Village } from './places.ts';
import type { Profile, Shares } from './profiles.ts';
import { apportion, type Rng } from './rng.ts';

/** An organisation before it is written; `id` and `path` are filled in once ids are reserved. */
export interface OrgNode {
  name: string;
  shortName: string;
  kind: OrgKind;
  sector: Sector;
  parent: OrgNode | null;
  place: PlaceNode | null;
  id: number;
  path: string;
  /** Set on branches only (the nodes that hold members). */
  branch?: BranchPlan;
}

export interface BranchPlan {
  profile: Profile;
  /** The township it sits in, if any (addresses). */
  township: Township | null;
  village: Village | null;
  /** leader_unit of its leaders, taken in turn (a township has both 党委 and 人民政府). */
  leaderUnits: string[];
  /** Occupations that replace the profile's own (a law firm's members are 律师). */
  occupations: Shares<string> | null;
  countyLeaders: number;
  sectionLeaders: number;
  /** Party members (full + probationary). */
  members: number;
}

export interface OrgTree {
  root: OrgNode;
  /** Every org, parents before children: the order they are inserted in. */
  all: OrgNode[];
  /** The 基层党(工)委 directly under the root. */
  committees: OrgNode[];
  branches: OrgNode[];
  villageBranches: OrgNode[];
}

/** The seed report's figures [000]; the tree is built to match them exactly. */
export const SEED_FIGURES = {
  townships: 15,
  villages: 124,
  committees: 29,
  branches: 344,
  villageBranches: 124,
  members: 8165,
  ruralMembers: 5165,
  countyLeaders: 36,
  sectionLeaders: 264,
} as const;

/** A branch needs at least three full members (支部工作条例). */
const MIN_BRANCH = 3;
/** An old big village has 60-odd members, a hamlet 20. */
const VILLAGE_SIZE = [20, 70] as const;

/** Builds the county's organisation tree to the seed report's figures. */
export function buildOrgTree(rng: Rng, countyName: string, places: CountyPlaces): OrgTree {
  const builder = new TreeBuilder(rng, countyName);
  const root = builder.add({
    name: `中共${countyName}委员会`,
    shortName: `${countyName}委`,
    kind: 'party_committee',
    sector: 'agency',
    parent: null,
    place: places.county,
  });

  // The 15 乡镇党委: their offices, communities, and a branch in every 行政村.
  const townshipCommittees: [OrgNode, Township][] = [];
  for (const t of places.townships) {
    const committee = builder.add({
      name: `中共${countyName}${t.name}委员会`,
      shortName: `${t.name}党委`,
      kind: 'party_committee',
      sector: 'agency',
      parent: root,
      place: t.place,
    });
    townshipCommittees.push([committee, t]);
    for (const def of townshipBranches(t)) builder.branch(committee, def);
    for (const v of t.villages) {
      builder.branch(committee, {
        unit: `${t.name}${v.name}`,
        short: `${v.name}党支部`,
        sector: 'rural',
        profile: 'rural',
        size: 0,
        township: t,
        place: v.place,
      }).branch!.village = v;
    }
  }

  const seat = places.townships.find((t) => t.seat)?.place ?? places.county;
  for (const def of countyCommittees(places.townships)) {
    const committee = builder.add({
      name: def.name ?? `中共${builder.fullName(def.unit)}委员会`,
      shortName: def.short,
      kind: def.kind,
      sector: def.sector,
      parent: root,
      place: def.atSeat ? seat : places.county,
    });
    for (const b of def.branches) builder.branch(committee, b);
    for (let i = 0; i < (def.firms ?? 0); i++) builder.firm(committee, null);
  }

  // Firms registered in the townships take up whatever the seed's 344 branches leave over, more of
  // them in the county seat and the big towns.
  const fixed = builder.all.filter((o) => o.branch).length;
  const left = SEED_FIGURES.branches - fixed;
  if (left < 0)
    throw new Error(`the catalogue has ${fixed} branches, more than the seed's ${SEED_FIGURES.branches}`);
  const weights = townshipCommittees.map(([, t]) => (t.seat ? 6 : t.kind === 'town' ? 2 : 1));
  apportion(left, weights).forEach((n, i) => {
    const [committee, t] = townshipCommittees[i]!;
    for (let k = 0; k < n; k++) builder.firm(committee, t);
  });

  // Parents before children (a stable sort keeps the catalogue's order within a level).
  const all = [...builder.all].sort((a, b) => depthOf(a) - depthOf(b));
  const branches = all.filter((o) => o.branch);
  const tree: OrgTree = {
    root,
    all,
    committees: all.filter((o) => o.parent === root),
    branches,
    villageBranches: branches.filter((o) => o.branch!.profile === 'rural'),
  };
  builder.assignSizes(tree);
  return tree;
}

const depthOf = (o: OrgNode): number => (o.parent ? depthOf(o.parent) + 1 : 0);

class TreeBuilder {
  readonly all: OrgNode[] = [];
  private readonly firms = new Set<string>();
  // Relative sizes and section-leader shares, turned into exact numbers by assignSizes.
  private readonly sizeWeights = new Map<OrgNode, number>();
  private readonly sectionWeights = new Map<OrgNode, number>();

  constructor(
    private readonly rng: Rng,
    private readonly countyName: string,
  ) {}

  /** 县财政局 → 青山县财政局; 城关镇东山村 → 青山县城关镇东山村. */
  fullName(unit: string): string {
    if (unit.includes(this.countyName)) return unit;
    return unit.startsWith('县') ? this.countyName.slice(0, -1) + unit : this.countyName + unit;
  }

  add(node: Omit<OrgNode, 'id' | 'path'>): OrgNode {
    const n: OrgNode = { ...node, id: 0, path: '' };
    this.all.push(n);
    return n;
  }

  branch(parent: OrgNode, def: BranchDef): OrgNode {
    const node = this.add({
      name: `中共${this.fullName(def.unit)}${def.joint ? '联合支部委员会' : '支部委员会'}`,
      shortName: def.short ?? `${def.unit}${def.joint ? '联合党支部' : '党支部'}`,
      kind: def.joint ? 'joint_branch' : 'branch',
      sector: def.sector,
      parent,
      place: def.place ?? def.township?.place ?? parent.place,
    });
    node.branch = {
      profile: def.profile,
      township: def.township ?? null,
      village: null,
      leaderUnits: def.leaderUnits ?? [def.unit],
      occupations: def.occupations ?? null,
      countyLeaders: def.countyLeaders ?? 0,
      sectionLeaders: 0,
      members: 0,
    };
    // Jitter, so two schools of the same weight do not come out the same size.
    this.sizeWeights.set(node, def.size * (0.8 + this.rng.next() * 0.4));
    this.sectionWeights.set(node, def.section ?? 0);
    return node;
  }

  /** A non-public firm with its own branch, its name unique in the county. */
  firm(parent: OrgNode, township: Township | null): OrgNode {
    let firm: string;
    do firm = this.rng.pick(FIRM_NAMES) + this.rng.pick(INDUSTRIES);
    while (this.firms.has(firm));
    this.firms.add(firm);
    return this.branch(parent, {
      unit: `${firm}有限公司`,
      short: `${firm}公司党支部`,
      sector: 'private_enterprise',
      profile: 'private_enterprise',
      size: this.rng.int(3, 9),
      ...(township ? { township } : {}),
    });
  }

  /** Splits the seed's member and leader totals over the branches, exactly. */
  assignSizes(tree: OrgTree) {
    const others = tree.branches.filter((b) => b.branch!.profile !== 'rural');

    const candidates = others.filter((b) => this.sectionWeights.get(b)! > 0);
    const sections = apportion(
      SEED_FIGURES.sectionLeaders,
      candidates.map((b) => this.sectionWeights.get(b)!),
    );
    candidates.forEach((b, i) => {
      b.branch!.sectionLeaders = sections[i]!;
    });
    const countyLeaders = others.reduce((n, b) => n + b.branch!.countyLeaders, 0);
    if (countyLeaders !== SEED_FIGURES.countyLeaders)
      throw new Error(`${countyLeaders} county-level leaders planned`);

    const sizes = apportion(
      SEED_FIGURES.members - SEED_FIGURES.ruralMembers,
      others.map((b) => this.sizeWeights.get(b)!),
      others.map((b) => MIN_BRANCH + b.branch!.countyLeaders + b.branch!.sectionLeaders),
    );
    others.forEach((b, i) => {
      b.branch!.members = sizes[i]!;
    });

    const [min, max] = VILLAGE_SIZE;
    const village = apportion(
      SEED_FIGURES.ruralMembers,
      tree.villageBranches.map(() => 0.15 + this.rng.next()),
      tree.villageBranches.map(() => min),
    );
    if (village.some((n) => n > max)) throw new Error(`a village branch came out above ${max} members`);
    tree.villageBranches.forEach((b, i) => {
      b.branch!.members = village[i]!;
    });
  }
}
