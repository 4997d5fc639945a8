import { scopeOf } from '../../domain/access.ts';
import { todayIso } from '../../domain/dates.ts';
import type { ServiceContext } from '../context.ts';
import { listPairings, summary } from '../pairings/service.ts';
import { listPlans } from '../plans/service.ts';
import { listNotices } from '../publicity/service.ts';

const URGENCY: Record<string, number> = { short: 0, behind_pace: 1, on_track: 2, not_started: 3 };

/**
 * The home page's figures. Each section runs with the scope the access table grants the user for
 * that section's own action, so the home page never shows what the list behind it would not.
 */
export async function home(ctx: ServiceContext) {
  const role = ctx.actor?.role;
  const as = (action: Parameters<typeof scopeOf>[1]) => (role ? scopeOf(role, action) : undefined);
  const asOf = todayIso();
  const year = Number(asOf.slice(0, 4));

  let reviews = null;
  const reviewScope = as('plan.review') ?? as('plan.approve');
  if (reviewScope) {
    const inbox = await listPlans({ ...ctx, scope: reviewScope }, { inbox: true, page: 1, pageSize: 1 });
    reviews = { waiting: inbox.total };
  }

  let compliance = null;
  const reportScope = as('report.read');
  if (reportScope) {
    const s = await summary({ ...ctx, scope: reportScope }, { year });
    compliance = {
      total: s.compliance.total,
      onTrack: s.compliance.on_track,
      behindPace: s.compliance.behind_pace,
      short: s.compliance.short,
    };
  }

  let notices = null;
  const noticeScope = as('notice.read');
  if (noticeScope) {
    const open = await listNotices({ ...ctx, scope: noticeScope }, { open: true, page: 1, pageSize: 500 });
    notices = {
      open: open.total,
      unanswered: open.items.reduce((n, x) => n + x.unansweredCount, 0),
      openWithUnanswered: open.items.filter((x) => x.unansweredCount > 0).length,
    };
  }

  const pairingScope = as('pairing.read');
  const mine = pairingScope
    ? await listPairings({ ...ctx, scope: pairingScope }, { year, mine: true, page: 1, pageSize: 500 })
    : { items: [] };
  const myPairings = [...mine.items]
    .sort(
      (a, b) =>
        (URGENCY[a.compliance?.level ?? 'on_track'] ?? 9) -
          (URGENCY[b.compliance?.level ?? 'on_track'] ?? 9) ||
        (a.compliance?.nextDueOn ?? '9999').localeCompare(b.compliance?.nextDueOn ?? '9999'),
    )
    .slice(0, 50);

  return { asOf, year, reviews, compliance, notices, myPairings };
}
