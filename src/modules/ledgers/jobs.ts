import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { enterScope } from '../../db/rls.ts';
import type { DB } from '../../db/schema.ts';
import { labelOf } from '../../domain/codes.ts';
import { AppError } from '../../platform/errors.ts';
import type { Actor, ServiceContext } from '../context.ts';
import * as files from '../files/service.ts';
import type { LedgerFilter } from './registry.ts';
import { JOB_STATUSES } from './schemas.ts';

/**
 * Export jobs. A running job lives in the memory of the process that runs it, writing its file
 * into the exports directory (scratch space); once written, the file goes into the database
 * (stored_files) for its one download, from any process on the database, and the scratch file
 * goes. A job belongs to the user who started it (row-level security holds its file to them); its
 * file is removed once downloaded, or an hour after the job ended, whichever is first. Ledgers hold
 * personal data: nothing lingers.
 */
export const KEEP_MS = 3600_000;
const SWEEP_MS = 5 * 60_000;
/** Exports one user may run at once (in one process). */
export const MAX_RUNNING_PER_USER = 3;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportJob {
  id: string;
  countyId: number;
  userId: number;
  ledger: string;
  titleZh: string;
  filter: LedgerFilter;
  status: 'running' | 'done' | 'failed';
  rowsDone: number;
  rowsTotal: number;
  error: { code: string; message: string; messageEn: string } | null;
  file: string;
  fileName: string;
  createdAt: Date;
  endedAt: number | null;
}

/** What a finished job keeps beside its file, so any process can show it. */
type StoredJob = Omit<ExportJob, 'countyId' | 'userId' | 'file' | 'createdAt' | 'endedAt' | 'error'> & {
  createdAt: string;
};

export class ExportJobs {
  /** Jobs of this process still running, or failed (a failed one has no file to keep). */
  private readonly jobs = new Map<string, ExportJob>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly db: Kysely<DB>,
    private readonly appRole: string,
    private readonly keepMs = KEEP_MS,
  ) {}

  /** Makes the scratch directory, removes what an earlier run left, and starts the clean-up. */
  async start() {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.removeStrays();
    this.timer = setInterval(() => void this.sweep().catch(() => {}), SWEEP_MS);
    this.timer.unref();
  }

  create(
    init: Pick<ExportJob, 'countyId' | 'userId' | 'ledger' | 'titleZh' | 'filter' | 'rowsTotal' | 'fileName'>,
  ) {
    const running = [...this.jobs.values()].filter(
      (j) => j.userId === init.userId && j.countyId === init.countyId && j.status === 'running',
    ).length;
    if (running >= MAX_RUNNING_PER_USER) {
      throw new AppError(
        429,
        'too_many_exports',
        `已有${running}个台账正在导出，请稍候再试`,
        `${running} exports are running already; try again when one is done`,
      );
    }
    const id = files.newFileId();
    const job: ExportJob = {
      ...init,
      id,
      status: 'running',
      rowsDone: 0,
      error: null,
      file: join(this.dir, `${id}.xlsx`),
      createdAt: new Date(),
      endedAt: null,
    };
    this.jobs.set(id, job);
    return job;
  }

  /** This process's running or failed job of the user, or undefined. */
  private own(id: string, ctx: ServiceContext) {
    const job = this.jobs.get(id);
    return job && job.countyId === ctx.countyId && job.userId === ctx.actor?.userId ? job : undefined;
  }

  /**
   * A job as its owner sees it: running or failed here, or finished in any process and not yet
   * downloaded nor expired (from the database). Another user's job is not found.
   */
  async status(ctx: ServiceContext, id: string) {
    const job = this.own(id, ctx);
    if (job) return this.present(job);
    const stored = await files.findExport<StoredJob>(ctx, id);
    return stored && presentStored(stored.meta);
  }

  /**
   * Hands a finished job's file over for its one download: taken out of the database in the same
   * statement, so a second download — in this process or another — finds nothing.
   */
  async take(ctx: ServiceContext, id: string) {
    const job = this.own(id, ctx);
    if (job) {
      throw new AppError(
        409,
        'not_ready',
        job.status === 'running' ? '台账正在导出，请稍候' : '导出失败，没有可下载的文件',
        job.status === 'running' ? 'the export is still running' : 'the export failed: no file',
      );
    }
    const taken = await files.takeExport<StoredJob>(ctx, id);
    return taken && { ...taken, ledger: taken.meta.ledger };
  }

  /**
   * The file is written: it goes into the database for its user (in a transaction narrowed to
   * them), and the scratch file goes. If it cannot be kept, the job fails.
   */
  async finished(job: ExportJob, actor: Actor) {
    try {
      const content = await readFile(job.file);
      const meta: StoredJob = {
        id: job.id,
        ledger: job.ledger,
        titleZh: job.titleZh,
        filter: job.filter,
        status: 'done',
        rowsDone: job.rowsDone,
        rowsTotal: job.rowsTotal,
        fileName: job.fileName,
        createdAt: job.createdAt.toISOString(),
      };
      await this.db.transaction().execute(async (trx) => {
        await enterScope(trx, this.appRole, job.countyId, actor.orgPath);
        await files.storeExport(
          { db: trx, countyId: job.countyId, actor },
          {
            id: job.id,
            fileName: job.fileName,
            contentType: XLSX_TYPE,
            content,
            meta,
            keepSeconds: Math.round(this.keepMs / 1000),
          },
        );
      });
      // The scratch file goes before the job leaves memory: once a poll can see it done, it is.
      await rm(job.file, { force: true });
      this.jobs.delete(job.id);
    } catch (err) {
      this.fail(job, {
        code: 'internal',
        message: '导出失败，请稍后重试',
        messageEn: 'the export failed; try again',
      });
      throw err;
    } finally {
      await rm(job.file, { force: true }).catch(() => {});
    }
  }

  fail(job: ExportJob, error: NonNullable<ExportJob['error']>) {
    job.status = 'failed';
    job.error = error;
    job.endedAt = Date.now();
    void rm(job.file, { force: true }).catch(() => {});
  }

  /** Forgets failed jobs after the keeping time; deletes expired files in the database and strays. */
  async sweep(now = Date.now()) {
    for (const job of [...this.jobs.values()]) {
      if (job.endedAt !== null && now - job.endedAt > this.keepMs) this.jobs.delete(job.id);
    }
    await files.sweepExpired(this.db);
    await this.removeStrays(now);
  }

  /** Scratch files that no running job owns and that are older than the keeping time. */
  private async removeStrays(now = Date.now()) {
    const owned = new Set([...this.jobs.values()].map((j) => `${j.id}.xlsx`));
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (owned.has(name)) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => null);
      if (info?.isFile() && now - info.mtimeMs > this.keepMs) await rm(path, { force: true }).catch(() => {});
    }
  }

  /**
   * Stops the clean-up and deletes the scratch files of jobs still running (the server is
   * closing). Finished files stay in the database: another process may hand them out.
   */
  async close() {
    clearInterval(this.timer);
    for (const job of [...this.jobs.values()]) {
      this.jobs.delete(job.id);
      await rm(job.file, { force: true }).catch(() => {});
    }
  }

  present(job: ExportJob) {
    return {
      id: job.id,
      ledger: job.ledger,
      titleZh: job.titleZh,
      filter: job.filter,
      status: job.status,
      statusLabel: labelOf(JOB_STATUSES, job.status),
      rowsDone: job.rowsDone,
      rowsTotal: job.rowsTotal,
      fileName: job.fileName,
      fileUrl: null,
      error: job.error,
      createdAt: job.createdAt.toISOString(),
    };
  }
}

const presentStored = (m: StoredJob) => ({
  ...m,
  status: 'done' as const,
  statusLabel: labelOf(JOB_STATUSES, 'done'),
  fileUrl: `/api/ledgers/exports/${m.id}/file`,
  error: null,
});
