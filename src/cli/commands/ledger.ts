import { resolve } from 'node:path';
import type { Command } from 'commander';
import { prepareLedger, writeLedger } from '../../modules/ledgers/export.ts';
import { LEDGERS, ledgerNamed } from '../../modules/ledgers/registry.ts';
import { LedgerFilterInput } from '../../modules/ledgers/schemas.ts';
import { AppError } from '../../platform/errors.ts';
import { progressBar } from '../../platform/progress.ts';
import { countyContext, withDatabase } from '../open.ts';

interface LedgerFlags {
  org?: string;
  from?: string;
  to?: string;
  year?: string;
  out: string;
  json?: boolean;
}

/** The flags as the HTTP API's filter, checked by the same schema (an error names the flag). */
function filterOf(flags: LedgerFlags) {
  const parsed = LedgerFilterInput.safeParse({
    ...(flags.org !== undefined && { orgId: flags.org }),
    ...(flags.from !== undefined && { from: flags.from }),
    ...(flags.to !== undefined && { to: flags.to }),
    ...(flags.year !== undefined && { year: flags.year }),
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  const flag = field === 'orgId' ? '--org' : `--${field}`;
  const [zh, en] = issue.message.split(' / ');
  throw new AppError(400, 'invalid', `${flag}：${zh}`, `${flag}: ${en ?? zh}`, flag);
}

/**
 * `gongjian ledger export <name> --out FILE.xlsx [--org ID] [--from D] [--to D] [--year Y]`: a
 * ledger of the county (or a subtree) written as the web app writes it, with a progress bar, and
 * audited as the CLI's act.
 */
export function registerLedgerCommand(program: Command, countyCode: () => string | undefined) {
  const ledger = program.command('ledger').description('台账导出 / ledgers');
  ledger
    .command('export <name>')
    .description(`导出台账为xlsx（${Object.keys(LEDGERS).join('、')}）/ export a ledger to xlsx`)
    .requiredOption('--out <file>', '输出文件 .xlsx / the file to write')
    .option('--org <id>', '组织id（含下级），默认全县 / organisation subtree, default the county')
    .option('--from <date>', '起始日期 / from YYYY-MM-DD')
    .option('--to <date>', '截止日期 / to YYYY-MM-DD')
    .option('--year <year>', '年度 / year')
    .option('--json', '输出JSON / print JSON')
    .action(async (name: string, flags: LedgerFlags) => {
      const def = ledgerNamed(name);
      if (!def) {
        throw new AppError(
          404,
          'not_found',
          `没有名为“${name}”的台账，可导出：${Object.keys(LEDGERS).join('、')}`,
          `no ledger "${name}"; there are: ${Object.keys(LEDGERS).join(', ')}`,
        );
      }
      if (!flags.out.toLowerCase().endsWith('.xlsx')) {
        throw new AppError(400, 'invalid', '--out 应为 .xlsx 文件', '--out must name an .xlsx file', '--out');
      }
      const filter = filterOf(flags);
      await withDatabase(async (database) => {
        const ctx = await countyContext(database, countyCode());
        const x = { db: database.db, countyId: ctx.countyId, def, filter };
        const prepared = await prepareLedger(x);
        const bar = progressBar(`${def.titleZh} / ${def.name}`, { quiet: flags.json, unit: '行' });
        bar.update(0, prepared.rowsTotal);
        const file = resolve(flags.out);
        const { rows } = await writeLedger(x, {
          file,
          prepared,
          onProgress: (done, total) => bar.update(done, total),
        });
        bar.stop();
        console.log(
          flags.json
            ? JSON.stringify({ ledger: def.name, title: prepared.title, rows, file })
            : `已导出${prepared.title}，共${rows}行，写入 ${file} / exported ${rows} rows`,
        );
      });
    });
}
