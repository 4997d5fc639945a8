import type { Command } from 'commander';
import { parseAnchor, verifyAuditChain } from '../../modules/audit/verify.ts';
import { countyContext, withDatabase } from '../open.ts';

/** The exit code of a broken chain: apart from 1 (an error) so a scheduled check can tell them apart. */
export const BROKEN_CHAIN_EXIT = 4;

/**
 * `gongjian audit verify [--json] [--anchor <place>:<hash>]`: walks the county's audit hash chain and
 * reports the first broken record; prints the head to note elsewhere (the anchor of a later run).
 */
export function registerAuditCommand(program: Command, countyCode: () => string | undefined) {
  const audit = program.command('audit').description('审计记录 / the audit trail');
  audit
    .command('verify')
    .description(
      '校验审计记录哈希链，报告第一条被改动或删除的记录 / verify the audit hash chain, report the first broken record',
    )
    .option('--anchor <anchor>', '此前记下的链头“序号:哈希” / a head noted earlier, "<place>:<hash>"')
    .option('--json', '输出JSON / print JSON')
    .action(async (opts: { anchor?: string; json?: boolean }) => {
      const anchor = opts.anchor === undefined ? undefined : parseAnchor(opts.anchor, '--anchor');
      await withDatabase(async (database) => {
        const report = await verifyAuditChain(await countyContext(database, countyCode()), anchor);
        if (opts.json) {
          console.log(JSON.stringify(report));
        } else {
          console.log(`${report.message} / ${report.messageEn}`);
          if (report.head) {
            const label = report.ok ? '链头 / head' : '断裂前最后一条 / last record before the break';
            console.log(
              `${label}: ${report.head.chainSeq}:${report.head.hash}（编号 / id ${report.head.id}，${report.head.at}）`,
            );
          }
        }
        if (!report.ok) process.exitCode = BROKEN_CHAIN_EXIT;
      });
    });
}
