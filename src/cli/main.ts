import { Command, Option } from 'commander';
import { loadDemoCounty } from '../db/seeds/demo/index.ts';
import { createCounty } from '../modules/counties/service.ts';
import { summary } from '../modules/pairings/service.ts';
import { getStructureStats } from '../modules/stats/service.ts';
import { createDemoAccounts, formatDemoAccounts } from '../modules/users/demo.ts';
import { createFirstAdmin } from '../modules/users/service.ts';
import { AppError } from '../platform/errors.ts';
import { progressBar } from '../platform/progress.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerBulletinCommand } from './commands/bulletin.ts';
import { registerLedgerCommand } from './commands/ledger.ts';
import { startCommand } from './commands/start.ts';
import { formatStats } from './commands/stats.ts';
import { registerTransferCommands } from './commands/transfer.ts';
import { countyContext, openConfigured, withDatabase } from './open.ts';
import { ensureWebBuilt } from './web-build.ts';

const program = new Command()
  .name('gongjian')
  .description('共建 Gongjian：城乡党建共建平台 / urban–rural party-building co-building platform')
  .addOption(
    new Option('--county <code>', '县代码（多县时必填）/ county code when several are stored').env(
      'GONGJIAN_COUNTY',
    ),
  )
  .showHelpAfterError();

const countyCode = () => program.opts<{ county?: string }>().county;

program
  .command('start')
  .description('启动平台（默认嵌入式数据库，空库时载入演示县）/ start the platform')
  .action(startCommand);

program
  .command('web-build')
  .description(
    '构建网页端（start 会在源文件变化时自动构建）/ build the web app (start does it when sources changed)',
  )
  .option('--force', '即使未变化也重新构建 / build even if unchanged')
  .action(async (opts: { force?: boolean }) => {
    const built = await ensureWebBuilt({ force: !!opts.force });
    if (!built) console.log('网页端已是最新 / the web app is up to date');
  });

program
  .command('migrate')
  .description('应用数据库迁移 / apply database migrations')
  .action(async () => {
    const { database, applied } = await openConfigured();
    await database.close();
    console.log(
      applied.length ? `已应用 / applied: ${applied.join(', ')}` : '数据库已是最新 / already up to date',
    );
  });

const demo = program.command('demo').description('演示数据 / demo data');
demo
  .command('load')
  .description('载入演示县（复现调研报告000的数字）/ load the demo county')
  .option('--json', '输出JSON / print JSON')
  .action(async (opts: { json?: boolean }) => {
    await withDatabase(async (database) => {
      const bar = progressBar('演示县 / demo', { quiet: opts.json });
      const loaded = await loadDemoCounty(database, {
        onProgress: (step, done, total) => bar.update(done, total, step),
      });
      bar.stop();
      const accounts = await createDemoAccounts(
        database.db,
        loaded.countyId,
        process.env.GONGJIAN_DEMO_PASSWORD || undefined,
      );
      if (opts.json) {
        console.log(JSON.stringify({ ...loaded, accounts }));
      } else {
        console.log(
          `已载入演示县“${loaded.countyName}”（代码${loaded.countyCode}）：${loaded.members}名党员 / demo county loaded`,
        );
        console.log(formatDemoAccounts(accounts));
      }
    });
  });

const county = program.command('county').description('县 / counties');
county
  .command('create')
  .description('新建县及其县委根组织 / create a county with its root organisation')
  .requiredOption('--code <code>', '6位行政区划代码 / 6-digit division code')
  .requiredOption('--name <name>', '县名，如“青山县” / county name')
  .action(async (opts: { code: string; name: string }) => {
    await withDatabase(async (database) => {
      const { county: c, rootOrg } = await createCounty(database.db, opts);
      console.log(`已创建 ${c.name}（${c.code}），根组织 ${rootOrg.name}（id ${rootOrg.id}）/ created`);
    });
  });

const admin = program.command('admin').description('管理员账号 / administrator accounts');
admin
  .command('create')
  .description(
    '创建县委组织部管理员（打印一次性密码，首次登录须修改）/ create a county administrator with a one-time password',
  )
  .requiredOption('--org <county>', '县代码（该县的根组织）/ county code (its root organisation)')
  .requiredOption('--name <name>', '姓名 / full name')
  .option('--username <username>', '账号名，默认 admin / account name', 'admin')
  .option('--phone <phone>', '手机号 / mobile phone')
  .action(async (opts: { org: string; name: string; username: string; phone?: string }) => {
    await withDatabase(async (database) => {
      const created = await createFirstAdmin(database.db, {
        countyCode: opts.org,
        name: opts.name,
        username: opts.username,
        ...(opts.phone && { phone: opts.phone }),
      });
      console.log(`已创建管理员 ${created.username}（${created.county.name}） / administrator created`);
      console.log(`一次性密码 / one-time password: ${created.password}`);
      console.log('首次登录后须修改密码 / it must be changed at first sign-in');
    });
  });

const report = program.command('report').description('报告 / reports');
report
  .command('summary')
  .description('三联共建情况汇总（调研报告000的口径）/ the co-building headline and compliance')
  .option('--year <year>', '工作年度，默认今年 / work year', Number)
  .option('--org <id>', '组织id（含下级），默认全县 / organisation id', Number)
  .option('--as-of <date>', '截至日期 / as of YYYY-MM-DD')
  .option('--json', '输出JSON / print JSON')
  .action(async (opts: { year?: number; org?: number; asOf?: string; json?: boolean }) => {
    await withDatabase(async (database) => {
      const s = await summary(await countyContext(database, countyCode()), opts);
      if (opts.json) {
        console.log(JSON.stringify(s, null, 2));
        return;
      }
      const c = s.compliance;
      console.log(`${s.org.name} ${s.year}年“三联共建”情况（截至${s.asOf}）`);
      console.log(`${s.headline}。`);
      console.log(
        `完成情况 / compliance: 正常 ${c.on_track}，进度滞后 ${c.behind_pace}，年末未完成 ${c.short}，未开始 ${c.not_started}（共 ${c.total}）`,
      );
      for (const k of s.byKind)
        console.log(
          `  ${k.kindLabel.padEnd(6, '　')} 正常 ${k.levels.on_track} 滞后 ${k.levels.behind_pace} 未完成 ${k.levels.short} 共 ${k.levels.total}`,
        );
    });
  });

registerBulletinCommand(report, countyCode);

program
  .command('stats')
  .description('党组织和党员结构统计 / structure statistics')
  .option('--org <id>', '组织id（含下级），默认全县 / organisation id, default the county', Number)
  .option('--as-of <date>', '统计日期 / as of YYYY-MM-DD')
  .option('--json', '输出JSON / print JSON')
  .action(async (opts: { org?: number; asOf?: string; json?: boolean }) => {
    await withDatabase(async (database) => {
      const stats = await getStructureStats(await countyContext(database, countyCode()), opts.org, opts.asOf);
      console.log(opts.json ? JSON.stringify(stats, null, 2) : formatStats(stats));
    });
  });

registerTransferCommands(program, countyCode);
registerLedgerCommand(program, countyCode);
registerAuditCommand(program, countyCode);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof AppError) {
    console.error(`错误 / error: ${err.messageZh} / ${err.messageEn}${err.field ? ` [${err.field}]` : ''}`);
  } else {
    console.error(`错误 / error: ${(err as Error).message}`);
  }
  process.exitCode = 1;
}
