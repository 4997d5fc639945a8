import type { Executor } from '../../db/ids.ts';
import type { LeaderRank } from '../../domain/codes.ts';
import { assessPairing, type ComplianceResult } from '../../domain/compliance.ts';
import {
  type CountyQuotaOverrides,
  effectiveRule,
  pairingKind,
  type QuotaOverride,
  type VisitKind,
} from '../../domain/pairings.ts';
import * as pairingsRepo from '../pairings/repository.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Each pairing's compliance for a year as of a date, as the pairings module assesses it: the
 * county's quota rules, the counts kept per pairing and month, the domain's engine. For the
 * assessment's quota indicator and the bulletin's progress tables.
 */
export async function complianceOf(
  db: Executor,
  countyId: number,
  rows: readonly pairingsRepo.PairingRow[],
  year: number,
  asOf: string,
): Promise<Map<number, ComplianceResult>> {
  const [counts, overrideRows] = await Promise.all([
    pairingsRepo.monthCounts(
      db,
      countyId,
      year,
      rows.map((r) => r.id),
    ),
    pairingsRepo.quotaOverrides(db, countyId),
  ]);
  const overrides: CountyQuotaOverrides = Object.fromEntries(
    overrideRows.map((r) => [r.kind, r.rule as QuotaOverride]),
  );
  const byPairing = new Map<number, typeof counts>();
  for (const c of counts) byPairing.set(c.pairing_id, [...(byPairing.get(c.pairing_id) ?? []), c]);
  const out = new Map<number, ComplianceResult>();
  for (const r of rows) {
    const kind = pairingKind(r.kind);
    if (!kind) continue;
    out.set(
      r.id,
      assessPairing({
        pairing: {
          id: r.id,
          leaderRank: r.helper_leader_rank as LeaderRank | null,
          startedOn: r.started_on,
          endedOn: r.ended_on ?? `${r.year_to}-12-31`,
        },
        rule: effectiveRule(kind.code, overrides),
        monthCounts: (byPairing.get(r.id) ?? []).map((m) => ({
          month: `${year}-${pad(m.month)}`,
          count: m.visits,
          kind: m.kind as VisitKind,
        })),
        year,
        asOf,
      }),
    );
  }
  return out;
}
