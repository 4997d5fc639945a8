import { readFileSync } from 'node:fs';

/** Timing and memory helpers shared by the benchmark steps. */

export const MB = 1024 * 1024;

export interface Summary {
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

/** The median (mean of the middle two for an even count) and the nearest-rank p95 of samples in ms. */
export function summarise(samples: readonly number[]): Summary {
  if (!samples.length) throw new Error('no samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const p95 = s[Math.max(0, Math.ceil(0.95 * s.length) - 1)]!;
  return { runs: s.length, medianMs: median, p95Ms: p95, minMs: s[0]!, maxMs: s.at(-1)! };
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, and returns each run's wall time in ms. */
export async function sample(fn: () => Promise<unknown>, runs: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/**
 * Samples the process's resident set size every `intervalMs` while running. Samples land between
 * awaits, so a long synchronous stretch is seen at its end; VmHWM (the kernel's high-water mark for
 * the whole process life) is read beside it as a cross-check.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private peakHeap = 0;
  private peakExternal = 0;
  private count = 0;

  start(intervalMs = 200): this {
    this.take();
    this.timer = setInterval(() => this.take(), intervalMs);
    return this;
  }

  /** Peaks of RSS, of the V8 heap in use, and of memory outside it (buffers, the PGlite WASM memory). */
  stop(): { peakBytes: number; peakHeapBytes: number; peakExternalBytes: number; samples: number } {
    clearInterval(this.timer);
    this.take();
    return {
      peakBytes: this.peak,
      peakHeapBytes: this.peakHeap,
      peakExternalBytes: this.peakExternal,
      samples: this.count,
    };
  }

  private take() {
    const m = process.memoryUsage();
    this.count++;
    this.peak = Math.max(this.peak, m.rss);
    this.peakHeap = Math.max(this.peakHeap, m.heapUsed);
    this.peakExternal = Math.max(this.peakExternal, m.external);
  }
}

/** The kernel's peak RSS of this process so far (Linux), or undefined elsewhere. */
export function vmHwmBytes(): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
