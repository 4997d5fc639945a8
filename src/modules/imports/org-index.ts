import { compactText } from '../../domain/text.ts';

/**
 * The county's active organisations in memory (hundreds per county), so that a 100,000-row sheet
 * names its branches without a query per row. Names compare as normalised text (full-width folded,
 * spaces dropped); a full name wins over a short name.
 */
export interface IndexedOrg {
  id: number;
  parent_id: number | null;
  name: string;
  short_name: string | null;
  kind: string;
  sector: string;
  place_id: number | null;
  path: string;
  status: string;
}

export type Resolution = { ok: true; org: IndexedOrg } | { ok: false; message: string };

const MAX_CANDIDATES = 5;

export class OrgIndex {
  private readonly byName = new Map<string, IndexedOrg>();
  private readonly byShort = new Map<string, IndexedOrg[]>();
  private readonly cache = new Map<string, Resolution>();

  constructor(orgs: Iterable<IndexedOrg>) {
    for (const org of orgs) this.add(org);
  }

  add(org: IndexedOrg) {
    this.cache.clear();
    this.byName.set(compactText(org.name), org);
    if (org.short_name) {
      const key = compactText(org.short_name);
      this.byShort.set(key, [...(this.byShort.get(key) ?? []), org]);
    }
  }

  /** Applies changed fields to an indexed organisation, keeping the short-name index right. */
  update(org: IndexedOrg, patch: Partial<Pick<IndexedOrg, 'short_name' | 'kind' | 'sector' | 'place_id'>>) {
    this.cache.clear();
    if (patch.short_name !== undefined && org.short_name) {
      const key = compactText(org.short_name);
      const rest = (this.byShort.get(key) ?? []).filter((o) => o !== org);
      if (rest.length) this.byShort.set(key, rest);
      else this.byShort.delete(key);
    }
    Object.assign(org, patch);
    if (patch.short_name) {
      const key = compactText(patch.short_name);
      this.byShort.set(key, [...(this.byShort.get(key) ?? []), org]);
    }
  }

  byFullName(name: string): IndexedOrg | undefined {
    return this.byName.get(compactText(name));
  }

  all(): IterableIterator<IndexedOrg> {
    return this.byName.values();
  }

  /** By full name, else by a short name only one organisation has. */
  resolve(text: string): Resolution {
    const key = compactText(text);
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.lookup(key, text.trim());
      this.cache.set(key, hit);
    }
    return hit;
  }

  private lookup(key: string, text: string): Resolution {
    const full = this.byName.get(key);
    if (full) return { ok: true, org: full };
    const shorts = this.byShort.get(key) ?? [];
    if (shorts.length === 1) return { ok: true, org: shorts[0]! };
    if (shorts.length > 1) {
      const names = shorts.map((o) => o.name);
      return {
        ok: false,
        message: `简称“${text}”对应多个党组织：${names.join('、')}，请填写全称 / the short name "${text}" matches several organisations: ${names.join(', ')}; write the full name`,
      };
    }
    const candidates = this.similar(key);
    return {
      ok: false,
      message: candidates.length
        ? `找不到党组织“${text}”，是否为：${candidates.join('、')} / no organisation named "${text}"; did you mean: ${candidates.join(', ')}`
        : `找不到党组织“${text}” / no organisation named "${text}"`,
    };
  }

  /** Names containing the text or contained in it, up to five. */
  private similar(key: string): string[] {
    if (!key) return [];
    const out: string[] = [];
    for (const org of this.byName.values()) {
      const keys = [compactText(org.name), ...(org.short_name ? [compactText(org.short_name)] : [])];
      if (keys.some((k) => k.includes(key) || (k.length >= 2 && key.includes(k)))) {
        out.push(org.name);
        if (out.length === MAX_CANDIDATES) break;
      }
    }
    return out;
  }

  /** After a subtree moved: every path under oldPath now starts with newPath. */
  rebase(oldPath: string, newPath: string, movedId: number, newParentId: number) {
    this.cache.clear();
    for (const org of this.byName.values()) {
      if (org.path === oldPath || org.path.startsWith(`${oldPath}.`))
        org.path = newPath + org.path.slice(oldPath.length);
      if (org.id === movedId) org.parent_id = newParentId;
    }
  }

  hasChildren(id: number): boolean {
    for (const org of this.byName.values()) if (org.parent_id === id) return true;
    return false;
  }
}
