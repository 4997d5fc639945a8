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
 * Export jobs. A job runs in the process that started it, writing its file into the exports
 * directory (scratch space); its row in the database (stored_files) tells every process on the
 * database how it goes, and once the file is written the row holds it for its one download, from
 * any process. A job belongs to the user who started it (row-level security holds its row to them);
 * its file is removed once downloaded, or an hour after the job ended, whichever is first.
 * Ledgers hold personal data: nothing lingers.
 */
export const KEEP_MS = 3600_000;
const SWEEP_MS = 5 * 60_000;
/** How often a running job tells the database its progress. */
const PROGRESS_MS = 1000;
/** Exports one user may run at once (in all processes). */
export const MAX_RUNNING_PER_USER = 3;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type JobStatus = 'running' | 'done' | 'failed';
type JobError = { code: string; message: string; messageEn: string };

/** What a job shows, in this process's memory and as its row's meta for every other. */
interface JobFacts {
  id: string;
  ledger: string;
  titleZh: string;
  filter: LedgerFilter;
  status: JobStatus;
  rowsDone: number;
  rowsTotal: number;
  fileName: string;
  error: JobError | null;
  createdAt: string;
}

export interface ExportJob extends JobFacts {
  countyId: number;
  actor: Actor;
  /** The scratch file being written. */
  file: string;
  toldAt: number;
  /** The progress being told, awaited before the job's end is. */
  telling: Promise<unknown>;
}

export class ExportJobs {
  /** Jobs running in this process. */
  private readonly jobs = new Map<string, ExportJob>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly db: Kysely<DB>,
    private readonly appRole: string,
    private readonly keepMs = KEEP_MS,
  ) {}

  private get keepSeconds() {
    return Math.round(this.keepMs / 1000);
  }

  /** Runs fn in a transaction narrowed to the job's user, as their requests are. */
  private asUser<T>(countyId: number, actor: Actor, fn: (ctx: ServiceContext) => Promise<T>) {
    return this.db.transaction().execute(async (trx) => {
      await enterScope(trx, this.appRole, countyId, actor.orgPath);
      return fn({ db: trx, countyId, actor, scope: 'subtree' });
    });
  }

  /** Makes the scratch directory, removes what an earlier run left, and starts the clean-up. */
  async start() {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.removeStrays();
    this.timer = setInterval(() => void this.sweep().catch(() => {}), SWEEP_MS);
    this.timer.unref();
  }

  /** A new running job of the user, with its row (no file yet); 429 past the user's limit. */
  async create(
    countyId: number,
    actor: Actor,
    init: Pick<JobFacts, 'ledger' | 'titleZh' | 'filter' | 'rowsTotal' | 'fileName'>,
  ) {
    const id = files.newFileId();
    const job: ExportJob = {
      ...init,
      id,
      countyId,
      actor,
      status: 'running',
      rowsDone: 0,
      error: null,
      file: join(this.dir, `${id}.xlsx`),
      createdAt: new Date().toISOString(),
      toldAt: Date.now(),
      telling: Promise.resolve(),
    };
    await this.asUser(countyId, actor, async (ctx) => {
      const running = await files.runningExports(ctx);
      if (running >= MAX_RUNNING_PER_USER) {
        throw new AppError(
          429,
          'too_many_exports',
          `已有${running}个台账正在导出，请稍候再试`,
          `${running} exports are running already; try again when one is done`,
        );
      }
      await this.keep(ctx, factsOf(job), Buffer.alloc(0));
    });
    this.jobs.set(id, job);
    return job;
  }

  private keep(ctx: ServiceContext, facts: JobFacts, content: Buffer) {
    return files.storeExport(ctx, {
      id: facts.id,
      fileName: facts.fileName,
      contentType: XLSX_TYPE,
      content,
      meta: facts,
      keepSeconds: this.keepSeconds,
    });
  }

  /** Rows written so far; told to the database at most once a second. */
  progress(job: ExportJob, rowsDone: number, rowsTotal: number) {
    job.rowsDone = rowsDone;
    job.rowsTotal = rowsTotal;
    if (Date.now() - job.toldAt < PROGRESS_MS) return;
    job.toldAt = Date.now();
    const facts = factsOf(job);
    job.telling = job.telling
      .then(() =>
        this.asUser(job.countyId, job.actor, (ctx) =>
          files.setExportMeta(ctx, job.id, facts, this.keepSeconds),
        ),
      )
      .catch(() => {});
  }

  /**
   * A job as its owner sees it, from whichever process asks: this process's memory while it runs
   * here, else its row. Another user's job, or one downloaded or expired, is not found.
   */
  async status(ctx: ServiceContext, id: string) {
    const job = this.jobs.get(id);
    if (job && job.countyId === ctx.countyId && job.actor.userId === ctx.actor?.userId) return present(job);
    const stored = await files.findExport<JobFacts>(ctx, id);
    return stored && present(stored.meta);
  }

  /**
   * Hands a finished job's file over for its one download: taken out of the database in the same
   * statement, so a second download — in this process or another — finds nothing.
   */
  async take(ctx: ServiceContext, id: string) {
    const taken = await files.takeExport<JobFacts>(ctx, id);
    if (taken) return { ...taken, ledger: taken.meta.ledger };
    const job = await files.findExport<JobFacts>(ctx, id);
    if (!job) return undefined;
    const running = job.meta.status === 'running';
    throw new AppError(
      409,
      'not_ready',
      running ? '台账正在导出，请稍候' : '导出失败，没有可下载的文件',
      running ? 'the export is still running' : 'the export failed: no file',
    );
  }

  /** The file is written: it goes into the job's row, and the scratch file goes. */
  async finished(job: ExportJob) {
    try {
      const content = await readFile(job.file);
      await job.telling;
      // Memory keeps saying "running" until the row says "done", so no poll sees done too early.
      const facts: JobFacts = { ...factsOf(job), status: 'done' };
      await this.asUser(job.countyId, job.actor, (ctx) => this.keep(ctx, facts, content));
      // The scratch file goes before the job leaves memory: once a poll can see it done, it is.
      await rm(job.file, { force: true });
      this.jobs.delete(job.id);
    } catch (err) {
      await this.fail(job, {
        code: 'internal',
        message: '导出失败，请稍后重试',
        messageEn: 'the export failed; try again',
      });
      throw err;
    }
  }

  /** The job failed: its row tells so (no file) until it expires. */
  async fail(job: ExportJob, error: JobError) {
    job.status = 'failed';
    job.error = error;
    await rm(job.file, { force: true }).catch(() => {});
    await job.telling;
    await this.asUser(job.countyId, job.actor, (ctx) => this.keep(ctx, factsOf(job), Buffer.alloc(0))).catch(
      () => {},
    );
    this.jobs.delete(job.id);
  }

  /** Deletes expired rows (every county) and scratch files no running job owns. */
  async sweep(now = Date.now()) {
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
   * closing; their rows expire). Finished files stay in the database: another process may hand
   * them out.
   */
  async close() {
    clearInterval(this.timer);
    for (const job of [...this.jobs.values()]) {
      this.jobs.delete(job.id);
      await rm(job.file, { force: true }).catch(() => {});
    }
  }
}

const factsOf = (j: JobFacts): JobFacts => ({
  id: j.id,
  ledger: j.ledger,
  titleZh: j.titleZh,
  filter: j.filter,
  status: j.status,
  rowsDone: j.rowsDone,
  rowsTotal: j.rowsTotal,
  fileName: j.fileName,
  error: j.error,
  createdAt: j.createdAt,
});

export const present = (j: JobFacts) => ({
  ...factsOf(j),
  statusLabel: labelOf(JOB_STATUSES, j.status),
  fileUrl: j.status === 'done' ? `/api/ledgers/exports/${j.id}/file` : null,
});
