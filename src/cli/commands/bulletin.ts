import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { BulletinQuery } from '../../modules/reports/schemas.ts';
import { bulletin } from '../../modules/reports/service.ts';
import { AppError } from '../../platform/errors.ts';
import { countyContext, withDatabase } from '../open.ts';

interface BulletinOptions {
  year: string;
  half: string;
  org?: string;
  names?: boolean;
  date?: string;
  out: string;
}

/**
 * `gongjian report bulletin --year Y --half 1 [--org ID] [--names] --out FILE.docx`: the half-year
 * bulletin (半年通报) as a Word document, from the records, as the download gives it (audited as the CLI).
 */
export function registerBulletinCommand(report: Command, countyCode: () => string | undefined) {
  report
    .command('bulletin')
    .description('半年通报（Word文档，数据取自记录）/ the half-year bulletin as a Word document')
    .requiredOption('--year <year>', '年度 / year')
    .requiredOption('--half <half>', '1 上半年，2 下半年 / 1 for January–June, 2 for July–December')
    .option('--org <id>', '组织id（含下级），默认全县 / organisation id, default the county')
    .option('--names', '点名到人（领导干部、帮扶党员、整改责任人）/ name people')
    .option('--date <date>', '成文日期，默认今天 / date on the document, YYYY-MM-DD')
    .requiredOption('--out <file>', '输出文件（.docx）/ output file')
    .action(async (opts: BulletinOptions) => {
      const parsed = BulletinQuery.safeParse({
        year: opts.year,
        half: opts.half,
        ...(opts.org !== undefined && { orgId: opts.org }),
        ...(opts.names && { names: 'true' }),
        ...(opts.date !== undefined && { issuedOn: opts.date }),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = String(issue.path[0] ?? '');
        throw new AppError(
          400,
          'invalid',
          `参数有误：${field} ${issue.message}`,
          `invalid option: ${field}`,
          field,
        );
      }
      if (!opts.out.toLowerCase().endsWith('.docx')) {
        throw new AppError(
          400,
          'invalid',
          '输出文件须以 .docx 结尾',
          'the output file must end in .docx',
          'out',
        );
      }
      await withDatabase(async (database) => {
        const ctx = await countyContext(database, countyCode());
        const { buffer, fileName, data } = await bulletin(ctx, parsed.data);
        await writeFile(opts.out, buffer);
        console.log(
          `已生成《${fileName.replace(/\.docx$/, '')}》：${opts.out}（${data.headline.pairings}个结对）/ written`,
        );
      });
    });
}
