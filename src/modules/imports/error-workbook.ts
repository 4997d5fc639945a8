import { ERROR_COLUMN } from '../../domain/import-headers.ts';
import { describeProblems, type FieldError } from './report.ts';
import { cellText } from './sheet-reader.ts';
import { createSheetWriter } from './sheet-writer.ts';

/**
 * The workbook handed back to the clerk: the input's header and its failed rows, values kept as
 * the clerk typed them (as text), and a last column 错误原因 saying what to fix. Fixed, it can be
 * imported again as it is. Created on the first failed row, so a clean import writes nothing.
 */
export class ErrorWorkbook {
  private writer: Awaited<ReturnType<typeof createSheetWriter>> | undefined;
  private opening: Promise<void> | undefined;
  private readonly header: string[];

  constructor(
    readonly path: string,
    header: readonly unknown[],
  ) {
    this.header = header.map(cellText);
  }

  get written() {
    return this.writer !== undefined;
  }

  async add(cells: readonly unknown[], problems: readonly FieldError[]) {
    if (!this.writer) {
      this.opening ??= createSheetWriter(
        this.path,
        '导入错误',
        [...this.header, ERROR_COLUMN],
        [...this.header.map(() => 14), 60],
      ).then((w) => {
        this.writer = w;
      });
      await this.opening;
    }
    const values = this.header.map((_, i) => cellText(cells[i]));
    this.writer!.addRow([...values, describeProblems(problems)]);
  }

  /** The path written, or undefined when no row failed. */
  async finish(): Promise<string | undefined> {
    if (!this.writer) return undefined;
    await this.writer.finish();
    return this.path;
  }

  async discard() {
    await this.writer?.discard();
  }
}
