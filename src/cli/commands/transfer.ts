import type { Command } from 'commander';
import {
  exportMembers,
  type ImportReport,
  importMembers,
  importOrgs,
} from '../../modules/imports/service.ts';
import { progressBar } from '../../platform/progress.ts';
import { countyContext, withDatabase } from '../open.ts';

interface ImportFlags {
  dryRun?: boolean;
  json?: boolean;
  errors?: string;
}

/** The clerk's summary of an import; --json prints the contract object instead. */
function printReport(report: ImportReport, flags: ImportFlags) {
  if (flags.json) {
    console.log(JSON.stringify(report));
    return;
  }
  const mode = flags.dryRun ? '（试运行，未写入 / dry run, nothing written）' : '';
  console.log(
    `新增 ${report.created}，更新 ${report.updated}，未变 ${report.unchanged}，失败 ${report.failed}${mode}` +
      ` / created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, failed ${report.failed}`,
  );
  if (report.ignoredColumns.length)
    console.log(`已忽略的列 / ignored columns: ${report.ignoredColumns.join('、')}`);
  for (const e of report.errors.slice(0, 20)) console.log(`  第${e.row}行 [${e.field}] ${e.message}`);
  if (report.errors.length > 20)
    console.log(`  …… 共${report.failed}行有错误 / ${report.failed} rows failed in all`);
  if (report.errorWorkbook) console.log(`错误明细已写入 / error workbook: ${report.errorWorkbook}`);
}

export function registerTransferCommands(program: Command, countyCode: () => string | undefined) {
  const imports = program.command('import').description('导入县里现有的表格 / import the county’s sheets');
  for (const [what, run, zh] of [
    ['members', importMembers, '党员花名册'],
    ['orgs', importOrgs, '党组织名册'],
  ] as const) {
    imports
      .command(`${what} <file>`)
      .description(`导入${zh}（xlsx或csv）/ import ${what} from xlsx or csv`)
      .option('--dry-run', '只校验，不写入 / validate only, write nothing')
      .option('--errors <file>', '错误明细表的路径 / where to write the error workbook')
      .option('--json', '输出JSON / print JSON')
      .action(async (file: string, flags: ImportFlags) => {
        await withDatabase(async (database) => {
          const ctx = await countyContext(database, countyCode());
          const bar = progressBar(`导入 / import ${what}`, { quiet: flags.json, unit: 'KB' });
          const report = await run(database, ctx.countyId, file, {
            dryRun: flags.dryRun,
            ...(flags.errors && { errorWorkbook: flags.errors }),
            onProgress: (bytes, total, rows) =>
              bar.update(Math.round(bytes / 1024), Math.round(total / 1024), `${rows} 行 / rows`),
          });
          bar.stop();
          printReport(report, flags);
          if (report.failed > 0) process.exitCode = 3;
        });
      });
  }

  program
    .command('export')
    .description('导出 / export')
    .command('members <file>')
    .description(
      '导出党员花名册为xlsx（完整信息，导入可读）/ export members to xlsx, full values, re-importable',
    )
    .option('--org <id>', '只导出该组织及下级 / only this organisation’s subtree', Number)
    .option('--json', '输出JSON / print JSON')
    .action(async (file: string, flags: { org?: number; json?: boolean }) => {
      await withDatabase(async (database) => {
        const ctx = await countyContext(database, countyCode());
        const bar = progressBar('导出 / export', { quiet: flags.json, unit: '行' });
        const { rows } = await exportMembers(database, ctx.countyId, file, {
          ...(flags.org !== undefined && { underOrgId: flags.org }),
          onProgress: (done, total) => bar.update(done, total),
        });
        bar.stop();
        console.log(
          flags.json
            ? JSON.stringify({ rows, file })
            : `已导出 ${rows} 名党员到 ${file} / exported ${rows} members`,
        );
      });
    });
}
