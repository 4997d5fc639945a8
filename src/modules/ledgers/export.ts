import type { Kysely } from 'kysely';
import { enterScope } from '../../db/rls.ts';
import type { DB } from '../../db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { findOrg, findRootOrg } from '../orgs/repository.ts';
import { LEDGER_PAGE, periodLabel } from './common.ts';
import type { LedgerDefinition, LedgerFilter } from './registry.ts';
import { createLedgerWriter } from './writer.ts';

/**
 * Writing a ledger to an xlsx file, for the HTTP jobs and the CLI alike. Every read runs in a short
 * transaction of its own — the count, then each batch of rows — narrowed by row-level security to
 * the user's subtree when a user asks (the CLI acts for the county). Between batches the database
 * is free: on the embedded database (one connection) other requests, the progress polls among them,
 * go on while a long ledger is written.
 */
export interface LedgerAccess {
  appRole: string;
  actor: Actor;
  ip?: string;
}

export interface LedgerExport {
  db: Kysely<DB>;
  countyId: number;
  /** The signed-in user the export is for; absent for the CLI. */
  access?: LedgerAccess;
  def: LedgerDefinition;
  filter: LedgerFilter;
}

export interface PreparedLedger {
  rowsTotal: number;
  /** The organisation whose subtree is exported (the audit records it), as the title names it. */
  orgId: number;
  orgName: string;
  /** 青山县委 走访台账（2026年） */
  title: string;
  /** The file name offered for download: 中共青山县委员会走访台账（2026年）.xlsx */
  fileName: string;
}

/** Runs fn in a transaction of its own, narrowed to the user's subtree when there is a user. */
async function inBatch<T>(x: LedgerExport, fn: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  return x.db.transaction().execute(async (trx) => {
    if (x.access) await enterScope(trx, x.access.appRole, x.countyId, x.access.actor.orgPath);
    return fn({
      db: trx,
      countyId: x.countyId,
      ...(x.access && { actor: x.access.actor, scope: 'subtree', ip: x.access.ip }),
    });
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const safeFileName = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001F]/g, '_');

/** Checks the filter (its organisation must be in sight) and counts the rows, for progress. */
export async function prepareLedger(x: LedgerExport): Promise<PreparedLedger> {
  return inBatch(x, async (ctx) => {
    const start = x.filter.orgId ?? x.access?.actor.orgId;
    const org =
      start === undefined
        ? await findRootOrg(ctx.db, ctx.countyId)
        : await findOrg(ctx.db, ctx.countyId, start);
    if (!org) throw notFound('组织', 'Organisation');
    const rowsTotal = await x.def.count(ctx, x.filter);
    const period = periodLabel(x.filter);
    const suffix = period ? `（${period}）` : '';
    return {
      rowsTotal,
      orgId: org.id,
      orgName: org.name,
      title: `${org.name}${x.def.titleZh}${suffix}`,
      fileName: safeFileName(`${org.name}${x.def.titleZh}${suffix}.xlsx`),
    };
  });
}

export interface WriteOptions {
  file: string;
  prepared: PreparedLedger;
  onProgress?: (rowsDone: number, rowsTotal: number) => void;
  /** Rows per batch transaction (default: the ledgers' page size, so one page is read per batch). */
  batchSize?: number;
}

/**
 * Streams the ledger's rows into the file, batch by batch, and audits the export (who, which
 * ledger, the filter, how many rows) — or its failure, deleting the partial file.
 */
export async function writeLedger(x: LedgerExport, options: WriteOptions): Promise<{ rows: number }> {
  const { prepared } = options;
  const batchSize = options.batchSize ?? LEDGER_PAGE;
  const writer = await createLedgerWriter(options.file, {
    title: prepared.title,
    sheet: x.def.titleZh,
    columns: x.def.columns,
  });
  let rows = 0;
  try {
    // The rows' context reads the batch's transaction as it is when a query runs (see registry.ts).
    let current: Kysely<DB> | undefined;
    const base = {
      countyId: x.countyId,
      ...(x.access && { actor: x.access.actor, scope: 'subtree' as const, ip: x.access.ip }),
    };
    const ctx: ServiceContext = {
      ...base,
      get db(): Kysely<DB> {
        if (!current) throw new Error('a ledger read its rows outside a batch');
        return current;
      },
    };
    const it = x.def.rows(ctx, x.filter)[Symbol.asyncIterator]();
    let done = false;
    while (!done) {
      await inBatch(x, async (batch) => {
        current = batch.db;
        try {
          for (let i = 0; i < batchSize; i++) {
            const next = await it.next();
            if (next.done) {
              done = true;
              return;
            }
            writer.addRow(next.value);
            rows++;
          }
        } finally {
          current = undefined;
        }
      });
      options.onProgress?.(rows, Math.max(rows, done ? rows : prepared.rowsTotal));
    }
    await writer.finish();
  } catch (err) {
    await writer.discard();
    await inBatch(x, (ctx) =>
      recordAudit(ctx, {
        action: 'ledger.export',
        targetType: 'ledger',
        targetId: x.def.name,
        result: 'failed',
        details: { filter: x.filter, orgId: prepared.orgId, rows, error: (err as Error).message },
      }),
    ).catch(() => {});
    throw err;
  }
  await inBatch(x, (ctx) =>
    recordAudit(ctx, {
      action: 'ledger.export',
      targetType: 'ledger',
      targetId: x.def.name,
      details: { filter: x.filter, orgId: prepared.orgId, rows },
    }),
  );
  return { rows };
}
