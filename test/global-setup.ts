import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const LOG_DIR = join(process.cwd(), 'test-results', 'logs');

/** What must never appear in a log line. */
export const LEAKS: [string, RegExp][] = [
  ['ID number', /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])/],
  ['mobile number', /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/],
  ['test password', /Gongjian-test-2026!|Correct-Horse-/],
  ['session cookie', /gj_session=[A-Za-z0-9_-]{20,}/],
  ['CSRF or session token', /"(csrfToken|token)":"[A-Za-z0-9_-]{20,}"/],
];

export function findLeaks(dir = LOG_DIR): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const file of readdirSync(dir)) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const [what, re] of LEAKS)
        if (re.test(line)) found.push(`${file}:${i + 1} ${what}: ${line.slice(0, 200)}`);
    });
  }
  return found;
}

/** Starts the run with no logs, and ends it by reading every log the run wrote. */
export default function setup() {
  rmSync(LOG_DIR, { recursive: true, force: true });
  return () => {
    const files = existsSync(LOG_DIR) ? readdirSync(LOG_DIR) : [];
    const lines = files.reduce(
      (n, f) => n + readFileSync(join(LOG_DIR, f), 'utf8').split('\n').length - 1,
      0,
    );
    const leaks = findLeaks();
    console.log(`log check: ${lines} log lines in ${files.length} files read; ${leaks.length} leaks`);
    if (leaks.length) {
      // A teardown error alone does not fail a vitest run: set the exit code as well.
      process.exitCode = 1;
      throw new Error(`personal data or secrets in the logs:\n${leaks.slice(0, 20).join('\n')}`);
    }
  };
}
