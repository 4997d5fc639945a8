import type { ColumnSpec, HeaderMatch } from '../../domain/import-headers.ts';
import { cellText, cellValue } from './sheet-reader.ts';

/**
 * Reads a field from a row by the header match. Where a sheet has two columns for one field
 * (联系电话 and 手机号码), the first non-empty one gives the value, and errors name that column.
 */
export class Columns<F extends string> {
  constructor(
    private readonly match: HeaderMatch<F>,
    private readonly specs: readonly ColumnSpec<F>[],
  ) {}

  has(field: F): boolean {
    return this.match.columns.has(field);
  }

  /** The header a problem with `field` is reported under: its column as written, else its usual name. */
  header(field: F): string {
    return this.match.columns.get(field)?.[0]?.header ?? this.specs.find((s) => s.field === field)!.label;
  }

  /** Orders problems as the clerk reads the row: by the position of their column, unknown ones last. */
  sortByColumn<T extends { field: string }>(problems: T[]): T[] {
    const position = new Map<string, number>();
    for (const cols of this.match.columns.values())
      for (const c of cols) if (!position.has(c.header)) position.set(c.header, c.index);
    return problems.sort((a, b) => (position.get(a.field) ?? Infinity) - (position.get(b.field) ?? Infinity));
  }

  /** The first non-empty cell of the field: `value` keeps dates and numbers, `text` is trimmed text. */
  get(cells: readonly unknown[], field: F): { value: unknown; text: string; header: string } | undefined {
    for (const col of this.match.columns.get(field) ?? []) {
      const raw = cells[col.index];
      const text = cellText(raw).trim();
      if (text) return { value: cellValue(raw), text, header: col.header };
    }
    return undefined;
  }
}
