import {
  type ColumnSpec,
  MEMBER_COLUMNS,
  matchHeaders,
  ORG_COLUMNS,
  REQUIRED_MEMBER_FIELDS,
  REQUIRED_ORG_FIELDS,
} from '../../../../../src/domain/import-headers.ts';
import type { SheetPreview } from './read-sheet';

export type ImportKind = 'members' | 'orgs';

export const COLUMNS: Record<ImportKind, { specs: readonly ColumnSpec[]; required: readonly string[] }> = {
  members: { specs: MEMBER_COLUMNS, required: REQUIRED_MEMBER_FIELDS },
  orgs: { specs: ORG_COLUMNS, required: REQUIRED_ORG_FIELDS },
};

export interface RowError {
  row: number;
  field: string;
  message: string;
}

/** A header as the server reports it in an error's `field`: spaces collapsed, trimmed. */
const headerText = (raw: string) => raw.replace(/\s+/g, ' ').trim();
const isBlank = (cells: string[]) => cells.every((c) => !c.trim());

export interface PreviewRow {
  key: number;
  row: number;
  cells: string[];
  /** Errors by column index; those naming no column of the sheet under -1. */
  errors: Map<number, string[]>;
}

export interface PreviewModel {
  headers: string[];
  rows: PreviewRow[];
  errorRows: number;
}

/**
 * The sheet's rows below its header (found as the server finds it: among the first five non-blank
 * rows, the first with every required column, else the one matching most) with each error placed
 * in the cell of the column it names. Errors on rows the preview did not keep still get a row.
 */
export function buildPreview(
  kind: ImportKind,
  sheet: SheetPreview | undefined,
  errors: RowError[],
): PreviewModel {
  const { specs, required } = COLUMNS[kind];
  const candidates = (sheet?.rows ?? []).filter((r) => !isBlank(r.cells)).slice(0, 5);
  const matches = candidates.map((r) => ({ r, m: matchHeaders(r.cells, specs, required) }));
  const header =
    matches.find((x) => x.m.missing.length === 0) ??
    matches.reduce<(typeof matches)[number] | undefined>(
      (a, b) => (!a || b.m.columns.size > a.m.columns.size ? b : a),
      undefined,
    );
  const headers = (header?.r.cells ?? []).map(headerText);
  const columnOf = (field: string) => headers.indexOf(headerText(field));

  const byRow = new Map<number, PreviewRow>();
  for (const r of sheet?.rows ?? []) {
    if (header && r.row <= header.r.row) continue;
    if (isBlank(r.cells)) continue;
    byRow.set(r.row, { key: r.row, row: r.row, cells: r.cells, errors: new Map() });
  }
  for (const e of errors) {
    let row = byRow.get(e.row);
    if (!row) {
      row = { key: e.row, row: e.row, cells: [], errors: new Map() };
      byRow.set(e.row, row);
    }
    const col = columnOf(e.field);
    const list = row.errors.get(col) ?? [];
    list.push(col < 0 ? `${e.field}：${e.message}` : e.message);
    row.errors.set(col, list);
  }
  const rows = [...byRow.values()].sort((a, b) => a.row - b.row);
  return { headers, rows, errorRows: rows.filter((r) => r.errors.size > 0).length };
}
