import { can } from '../../domain/access.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type ServiceContext, withTransaction } from '../context.ts';
import { countyToday } from '../plans/clock.ts';
import { type BulletinQuery, gatherBulletin } from './bulletin-data.ts';
import { bulletinFileName, renderBulletin } from './bulletin-docx.ts';

/**
 * The half-year bulletin (半年通报) [000 "季度检查、半年通报、年终考评"]: the records of a half-year and a
 * subtree, gathered, rendered as a Word document and audited. People are named only when asked
 * (`names`), and only by those who may see personal data unmasked (member.unmask) or the CLI.
 */
export async function bulletin(ctx: ServiceContext, q: BulletinQuery) {
  const today = countyToday();
  const thisYear = Number(today.slice(0, 4));
  const halfStarts = q.half === 1 ? `${q.year}-01-01` : `${q.year}-07-01`;
  if (q.year > thisYear || halfStarts > today) {
    throw invalid(
      'half',
      `${q.year}年${q.half === 1 ? '上' : '下'}半年尚未开始`,
      'that half-year has not begun',
    );
  }
  if (q.names && ctx.actor && !can(ctx.actor.role, 'member.unmask')) {
    throw new AppError(
      403,
      'forbidden',
      '无权生成点名到人的通报',
      'you may not produce a bulletin that names people',
      'names',
    );
  }
  return withTransaction(ctx.db, async (db) => {
    const c = { ...ctx, db };
    const data = await gatherBulletin(c, q, today);
    const buffer = await renderBulletin(data);
    await recordAudit(c, {
      action: 'report.bulletin',
      targetType: 'org',
      targetId: data.scope.orgId,
      details: {
        year: q.year,
        half: q.half,
        names: data.names,
        pairings: data.headline.pairings,
        // The pairings reported on are the bulletin's rows, as a ledger's are its lines.
        rows: data.headline.pairings,
        bytes: buffer.length,
      },
    });
    return { fileName: bulletinFileName(data), buffer, data };
  });
}
