import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionLabel, auditTargetLabel } from '../../domain/audit-actions.ts';

/** Every source file of the server, tests aside. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the audit log reads in words', () => {
  it('every act the code records has its own Chinese and English name', () => {
    const recorded = new Set<string>();
    for (const file of sources(join(process.cwd(), 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/action: '([a-z_]+\.[a-z_.]+)'/g)) recorded.add(m[1]!);
    }
    expect(recorded.size).toBeGreaterThan(30);
    const known = new Set(AUDIT_ACTIONS.map((a) => a.code));
    expect([...recorded].filter((code) => !known.has(code) && code !== 'new.after').sort()).toEqual([]);
  });

  it('an act not yet named shows its area with the code, never the code alone', () => {
    expect(auditActionLabel('plan.submit')).toEqual({ zh: '方案提交', en: 'Plan: submit' });
    expect(auditActionLabel('import.members')).toEqual({
      zh: '导入（import.members）',
      en: 'Import (import.members)',
    });
    expect(auditActionLabel('zzz.unknown')).toEqual({ zh: 'zzz.unknown', en: 'zzz.unknown' });
  });

  it('an object is named by its kind and name, or its number when its name is out of sight', () => {
    expect(auditTargetLabel('plan', '204', '2026年度联点工作方案')).toEqual({
      zh: '方案：2026年度联点工作方案',
      en: 'Plan: 2026年度联点工作方案',
    });
    expect(auditTargetLabel('plan', '204', undefined)).toEqual({ zh: '方案：#204', en: 'Plan: #204' });
    expect(auditTargetLabel(null, null, undefined)).toBeNull();
  });
});
