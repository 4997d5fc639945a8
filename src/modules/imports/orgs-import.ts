import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { reserveIds } from '../../db/ids.ts';
import type { DB, NewOrgRow, OrgUpdate } from '../../db/schema.ts';
import { type Code, lookupCode, ORG_KINDS, type OrgKind, SECTORS } from '../../domain/codes.ts';
import { ORG_COLUMNS, type OrgImportField, REQUIRED_ORG_FIELDS } from '../../domain/import-headers.ts';
import { CAN_HOLD_ORGS, checkMove, type MoveRefusal } from '../../domain/orgs.ts';
import { compactText, normalizeText } from '../../domain/text.ts';
import { pathOf } from '../../domain/tree.ts';
import { moveSubtree } from '../orgs/repository.ts';
import { Columns } from './columns.ts';
import { type IndexedOrg, OrgIndex } from './org-index.ts';
import type { FieldError, ImportOptions, ImportReport } from './report.ts';
import { insertOrgs, loadActiveOrgs, loadPlaces, updateOrgFields } from './repository.ts';
import type { RowFailure } from './run.ts';
import { runImport } from './run.ts';

const MOVE_REFUSALS: Record<MoveRefusal, string> = {
  root: '根组织不能移动 / the root organisation cannot move',
  cycle: '不能移到自己或自己的下级组织之下 / cannot move an organisation under itself or its own descendant',
  parent_cannot_hold:
    '上级组织是党支部，不能设下级组织 / the parent is a branch and cannot hold organisations',
  parent_closed: '上级组织已撤销 / the parent is closed',
};

/**
 * Imports the county's 党组织台账. The full name is the key among active organisations: a new name
 * is created under its 上级党组织 (which may be a row earlier in the same file), a known one is
 * updated where a filled cell differs, and a different 上级党组织 moves it with its whole subtree.
 */
export async function importOrgs(
  database: Database,
  countyId: number,
  file: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  return runImport(database, countyId, file, options, {
    auditAction: 'import.orgs',
    columns: ORG_COLUMNS,
    required: REQUIRED_ORG_FIELDS,
    batchSize: 200,
    async start(trx, header, report) {
      const cols = new Columns(header, ORG_COLUMNS);
      const run = new OrgRowImporter(trx, countyId, cols, report);
      await run.load();
      return async (rows) => {
        const failures: RowFailure[] = [];
        // In order: a parent must exist before the rows under it.
        for (const row of rows) {
          const problems = await run.importRow(row.row, row.cells);
          if (problems.length) failures.push({ row, problems: cols.sortByColumn(problems) });
        }
        await run.flush();
        return failures;
      };
    },
  });
}

class OrgRowImporter {
  private orgs = new OrgIndex([]);
  private places = new PlaceIndex([]);
  private readonly firstRowOf = new Map<string, number>();
  private pending: NewOrgRow[] = [];
  private ids: number[] = [];

  constructor(
    private readonly trx: Transaction<DB>,
    private readonly countyId: number,
    private readonly cols: Columns<OrgImportField>,
    private readonly report: ImportReport,
  ) {}

  async load() {
    this.orgs = new OrgIndex(await loadActiveOrgs(this.trx, this.countyId));
    this.places = new PlaceIndex(await loadPlaces(this.trx, this.countyId));
  }

  /** New organisations go in together; anything that updates or moves writes them first (it may refer to them). */
  async flush() {
    await insertOrgs(this.trx, this.pending);
    this.pending = [];
  }

  private async nextId(): Promise<number> {
    if (!this.ids.length) this.ids = await reserveIds(this.trx, 'orgs', 50);
    return this.ids.shift()!;
  }

  async importRow(rowNumber: number, cells: readonly unknown[]): Promise<FieldError[]> {
    const { cols } = this;
    const problems: FieldError[] = [];
    const add = (field: OrgImportField, message: string) => {
      const header = cols.header(field);
      if (!problems.some((p) => p.field === header)) problems.push({ field: header, message });
    };
    const get = (field: OrgImportField) => cols.get(cells, field);

    const nameCell = get('name');
    const name = nameCell ? normalizeText(nameCell.text) : '';
    if (!name) add('name', '组织名称不能为空 / the name is required');
    else if ([...name].length < 2 || [...name].length > 100)
      add('name', '组织名称应为2至100字 / 2 to 100 characters');
    else {
      const first = this.firstRowOf.get(compactText(name));
      if (first === undefined) this.firstRowOf.set(compactText(name), rowNumber);
      else add('name', `与第${first}行的组织名称重复 / the same name as row ${first}`);
    }

    const shortCell = get('shortName');
    const shortName = shortCell ? normalizeText(shortCell.text) : undefined;
    if (shortName && [...shortName].length > 50)
      add('shortName', '简称过长（最多50字） / the short name is too long');

    const code = <C extends string>(
      field: OrgImportField,
      list: readonly Code<C>[],
      what: string,
      whatEn: string,
    ) => {
      const cell = get(field);
      if (!cell) return undefined;
      const found = lookupCode(list, compactText(cell.text)) as C | undefined;
      if (!found) {
        const allowed = list.map((c) => c.zh);
        add(
          field,
          `${what}“${cell.text}”无法识别，应为：${allowed.join('、')} / unknown ${whatEn} "${cell.text}"; use one of ${allowed.join(', ')}`,
        );
      }
      return found;
    };
    const kind = code('kind', ORG_KINDS, '组织类别', 'kind') as OrgKind | undefined;
    const sector = code('sector', SECTORS, '所属领域', 'sector');

    let parent: IndexedOrg | undefined;
    const parentCell = get('parent');
    if (parentCell) {
      const found = this.orgs.resolve(normalizeText(parentCell.text));
      if (found.ok) parent = found.org;
      else add('parent', found.message);
    }

    let placeId: number | undefined;
    const placeCell = get('place');
    if (placeCell) {
      const found = this.places.resolve(normalizeText(placeCell.text));
      if (found.ok) placeId = found.id;
      else add('place', found.message);
    }

    const existing = name ? this.orgs.byFullName(name) : undefined;
    if (existing) {
      const patch: OrgUpdate & Partial<Pick<IndexedOrg, 'short_name' | 'kind' | 'sector' | 'place_id'>> = {};
      if (shortName && shortName !== existing.short_name) patch.short_name = shortName;
      if (kind && kind !== existing.kind) {
        if (!CAN_HOLD_ORGS[kind] && this.orgs.hasChildren(existing.id)) {
          add(
            'kind',
            `${existing.name}有下级组织，不能改为党支部 / it holds organisations and cannot become a branch`,
          );
        } else patch.kind = kind;
      }
      if (sector && sector !== existing.sector) patch.sector = sector;
      if (placeId !== undefined && placeId !== existing.place_id) patch.place_id = placeId;
      const move = parent && parent.id !== existing.parent_id ? parent : undefined;
      if (move) {
        const refusal = checkMove(existing, {
          path: move.path,
          kind: move.kind as OrgKind,
          status: move.status,
        });
        if (refusal) add('parent', MOVE_REFUSALS[refusal]);
      }
      if (problems.length) return problems;
      if (!Object.keys(patch).length && !move) {
        this.report.unchanged++;
        return problems;
      }
      await this.flush();
      if (Object.keys(patch).length) {
        await updateOrgFields(this.trx, this.countyId, existing.id, patch);
        this.orgs.update(existing, patch);
      }
      if (move) {
        await moveSubtree(this.trx, this.countyId, existing.id, existing.path, move);
        this.orgs.rebase(existing.path, pathOf(move.path, existing.id), existing.id, move.id);
      }
      this.report.updated++;
      return problems;
    }

    // A new organisation needs its place in the tree and what it is.
    if (!kind) add('kind', '新建组织须填写组织类别 / a new organisation needs its kind');
    if (!sector) add('sector', '新建组织须填写所属领域 / a new organisation needs its sector');
    if (!parent) add('parent', '新建组织须填写上级党组织 / a new organisation needs its parent');
    else if (!CAN_HOLD_ORGS[parent.kind as OrgKind]) {
      add(
        'parent',
        `上级组织“${parent.name}”是党支部，不能设下级组织 / ${parent.name} is a branch and cannot hold organisations`,
      );
    }
    if (problems.length || !kind || !sector || !parent) return problems;

    const id = await this.nextId();
    const row = {
      county_id: this.countyId,
      id,
      parent_id: parent.id,
      name,
      short_name: shortName ?? null,
      kind,
      sector,
      place_id: placeId ?? null,
      path: pathOf(parent.path, id),
    };
    this.pending.push(row);
    this.orgs.add({ ...row, status: 'active' });
    this.report.created++;
    return problems;
  }
}

/** The county's places by name, or by name under its parent ("城关镇东山村", "城关镇/东山村") when names repeat. */
class PlaceIndex {
  private readonly byKey = new Map<string, { id: number; label: string }[]>();

  constructor(places: { id: number; name: string; parent_name: string | null }[]) {
    for (const p of places) {
      const label = p.parent_name ? `${p.name}（${p.parent_name}）` : p.name;
      const keys = new Set([key(p.name), ...(p.parent_name ? [key(p.parent_name + p.name)] : [])]);
      for (const k of keys) this.byKey.set(k, [...(this.byKey.get(k) ?? []), { id: p.id, label }]);
    }
  }

  resolve(text: string): { ok: true; id: number } | { ok: false; message: string } {
    const hits = this.byKey.get(key(text)) ?? [];
    if (hits.length === 1) return { ok: true, id: hits[0]!.id };
    if (!hits.length) return { ok: false, message: `找不到地点“${text}” / no place named "${text}"` };
    const labels = hits.map((h) => h.label);
    return {
      ok: false,
      message: `地点“${text}”有多处：${labels.join('、')}，请连同上级写，如“乡镇名村名” / several places are named "${text}": ${labels.join(', ')}; write it with its parent, e.g. "城关镇东山村"`,
    };
  }
}

const key = (text: string) => compactText(text).replace(/[/／\\\-·>]/g, '');
