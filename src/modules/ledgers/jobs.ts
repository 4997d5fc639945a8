import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { labelOf } from '../../domain/codes.ts';
import { AppError } from '../../platform/errors.ts';
import type { LedgerFilter } from './registry.ts';
import { JOB_STATUSES } from './schemas.ts';

/**
 * Export jobs, kept in this process's memory: one file under the exports directory each, named by
 * the job's random id. A job belongs to the user who started it; its file is removed once
 * downloaded, or an hour after the job ended, whichever is first (and leftovers of an earlier run at
 * start). Ledgers hold personal data: nothing lingers.
 */
export const KEEP_MS = 3600_000;
const SWEEP_MS = 5 * 60_000;
/** Exports one user may run at once. */
export const MAX_RUNNING_PER_USER = 3;

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

export class ExportJobs {
  private readonly jobs = new Map<string, ExportJob>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    private readonly keepMs = KEEP_MS,
  ) {}

  /** Makes the directory, removes what an earlier run left, and starts the hourly clean-up. */
  async start() {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.removeStrays();
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
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
    const id = randomBytes(16).toString('hex');
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

  /** The user's own job in their county, or undefined (another user's job is not found either). */
  find(id: string, who: { countyId: number; userId: number }) {
    const job = this.jobs.get(id);
    return job && job.countyId === who.countyId && job.userId === who.userId ? job : undefined;
  }

  finish(job: ExportJob, error?: ExportJob['error']) {
    job.status = error ? 'failed' : 'done';
    job.error = error ?? null;
    job.endedAt = Date.now();
  }

  /** Forgets a job and deletes its file (when it expires, or the server closes). */
  async remove(job: ExportJob) {
    this.jobs.delete(job.id);
    await rm(job.file, { force: true }).catch(() => {});
  }

  /**
   * Hands a finished job's file over for its one download: the job is forgotten at once (a second
   * download finds nothing); the caller deletes the file once it has been sent.
   */
  take(job: ExportJob) {
    this.jobs.delete(job.id);
    return { file: job.file, discard: () => rm(job.file, { force: true }).catch(() => {}) };
  }

  async sweep(now = Date.now()) {
    for (const job of [...this.jobs.values()]) {
      if (job.endedAt !== null && now - job.endedAt > this.keepMs) await this.remove(job);
    }
    await this.removeStrays(now);
  }

  /** Files in the directory that no job owns and that are older than the keeping time. */
  private async removeStrays(now = Date.now()) {
    const owned = new Set([...this.jobs.values()].map((j) => `${j.id}.xlsx`));
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (owned.has(name)) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => null);
      if (info?.isFile() && now - info.mtimeMs > this.keepMs) await rm(path, { force: true }).catch(() => {});
    }
  }

  /** Stops the clean-up and deletes every job's file (the server is closing). */
  async close() {
    clearInterval(this.timer);
    for (const job of [...this.jobs.values()]) await this.remove(job);
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
      fileUrl: job.status === 'done' ? `/api/ledgers/exports/${job.id}/file` : null,
      error: job.error,
      createdAt: job.createdAt.toISOString(),
    };
  }
}
