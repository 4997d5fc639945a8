import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { MB } from './measure.ts';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryMB: number;
  os: string;
  node: string;
  pglite: string;
  /** PostgreSQL inside PGlite. */
  pglitePostgres?: string;
  server?: string;
  /** 1-minute load average when the run started and when it ended: another busy process skews every figure. */
  loadAverage: { start: number; end?: number };
}

const firstMatch = (text: string, re: RegExp) => re.exec(text)?.[1]?.trim();

export function machineInfo(): MachineInfo {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = firstMatch(readFileSync('/proc/cpuinfo', 'utf8'), /^model name\s*:\s*(.+)$/m) ?? cpu;
  } catch {
    // not Linux: keep what os.cpus() says
  }
  let os = `${process.platform} ${process.arch}`;
  try {
    const pretty = firstMatch(readFileSync('/etc/os-release', 'utf8'), /^PRETTY_NAME="?([^"\n]+)"?$/m);
    if (pretty) os = `${pretty} (${process.arch})`;
  } catch {
    // keep the platform
  }
  const pkg = JSON.parse(
    readFileSync(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return {
    cpu,
    cores: cpus().length,
    memoryMB: Math.round(totalmem() / MB),
    os,
    node: process.version,
    pglite: pkg.version,
    loadAverage: { start: loadavg()[0]! },
  };
}
