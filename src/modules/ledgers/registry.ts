import type { Action } from '../../domain/access.ts';
import { assessmentLedger } from '../assessment/ledger.ts';
import type { ServiceContext } from '../context.ts';
import { inspectionsLedger } from './inspections-ledger.ts';
import { membersLedger } from './members-ledger.ts';
import { outcomesLedger } from './outcomes-ledger.ts';
import { pairingsLedger } from './pairings-ledger.ts';
import { visitsLedger } from './visits-ledger.ts';

/**
 * Ledgers (台账): Excel exports of the county's records for any subtree and period. A ledger is
 * data — its columns — and two reads: how many rows (for progress) and the rows themselves.
 *
 * How rows are read: the export gives each batch of rows its own short transaction (narrowed by
 * row-level security to the user's subtree), so a 100,000-row export never holds the embedded
 * database's one connection for long. `rows` must therefore read `ctx.db` afresh for every query
 * (page by page, e.g. with `keysetPages`), never keep a handle from before: a transaction used after
 * its batch has ended is refused by Kysely.
 */
export interface LedgerColumn {
  key: string;
  zh: string;
  en: string;
  width?: number;
  type?: 'text' | 'number' | 'date';
}

export interface LedgerFilter {
  orgId?: number;
  from?: string;
  to?: string;
  year?: number;
}

export interface LedgerDefinition {
  name: string;
  titleZh: string;
  titleEn: string;
  action: Action;
  columns: LedgerColumn[];
  count(ctx: ServiceContext, filter: LedgerFilter): Promise<number>;
  rows(ctx: ServiceContext, filter: LedgerFilter): AsyncIterable<Record<string, unknown>>;
}

/** The built-in ledgers, in the order the web app lists them. */
export const LEDGERS: Record<string, LedgerDefinition> = {
  pairings: pairingsLedger,
  visits: visitsLedger,
  outcomes: outcomesLedger,
  inspections: inspectionsLedger,
  assessment: assessmentLedger,
  members: membersLedger,
};

export const ledgerNamed = (name: string): LedgerDefinition | undefined =>
  Object.hasOwn(LEDGERS, name) ? LEDGERS[name] : undefined;
