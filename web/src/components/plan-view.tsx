import { Alert, Tag, Timeline, Typography } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import type { z } from 'zod';
import type { PlanDetail as PlanDetailSchema } from '../../../src/modules/plans/schemas.ts';
import { formatDateTime } from '../lib/format';
import { useI18n } from '../lib/i18n';

/**
 * A pairing's yearly plan (方案) as the pairing page and the review screen both show it: its status,
 * its tasks (卡册 tasks: what, target, due), its history (who, when, why) and what changed since it
 * was last sent back.
 */
export type PlanDetail = z.infer<typeof PlanDetailSchema>;
export type PlanTaskView = { seq?: number; what: string; target: string | null; dueOn: string | null };
export type PlanEventView = PlanDetail['events'][number];
export type PlanDiffView = NonNullable<PlanDetail['diff']>;

const STATUS: Record<string, { color: string; en: string }> = {
  draft: { color: 'default', en: 'Draft' },
  submitted: { color: 'processing', en: 'Submitted for review' },
  reviewed: { color: 'purple', en: 'Reviewed, awaiting approval' },
  approved: { color: 'cyan', en: 'Approved, awaiting notice' },
  in_notice: { color: 'orange', en: 'Under public notice' },
  in_force: { color: 'success', en: 'In force' },
};

/** The plan's status, in the server's Chinese words (or English by the switch). */
export function PlanStatusTag({ status, label }: { status: string; label: string }) {
  const { t } = useI18n();
  const s = STATUS[status];
  return (
    <Tag color={s?.color ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {t(label, s?.en ?? label)}
    </Tag>
  );
}

/** The tasks as an ordered list: readable at 360 px as at 1440 px. */
export function PlanTasks({ tasks, extra }: { tasks: PlanTaskView[]; extra?: (i: number) => ReactNode }) {
  const { t } = useI18n();
  if (!tasks.length)
    return <Typography.Text type="secondary">{t('（无任务）', '(no tasks)')}</Typography.Text>;
  return (
    <ol style={{ margin: 0, paddingInlineStart: 22 }}>
      {tasks.map((task, i) => (
        <li key={task.seq ?? i} style={{ marginBottom: 8 }}>
          <div style={{ wordBreak: 'break-word' }}>{task.what}</div>
          {(task.target || task.dueOn) && (
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {task.target && `${t('目标', 'Target')}：${task.target}`}
              {task.target && task.dueOn && ' · '}
              {task.dueOn && `${t('时限', 'Due')}：${task.dueOn}`}
            </Typography.Text>
          )}
          {extra?.(i)}
        </li>
      ))}
    </ol>
  );
}

/** Plain text as written: line breaks kept, long words wrapped. */
export function PlainText({ children, style }: { children: string; style?: CSSProperties }) {
  return <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', ...style }}>{children}</div>;
}

/** The plan's history: each step with who, when, from which state to which, and why. */
export function PlanHistory({ events }: { events: PlanEventView[] }) {
  const { t } = useI18n();
  return (
    <Timeline
      items={[...events].reverse().map((e) => ({
        key: e.id,
        color: e.action === 'return' ? 'red' : e.action === 'edit' || e.action === 'create' ? 'gray' : 'blue',
        content: (
          <div>
            <Typography.Text strong>{e.actionLabel}</Typography.Text>{' '}
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {formatDateTime(e.at)} · {e.userName ?? t('系统', 'System')}
              {e.from && e.from !== e.to ? ` · ${e.fromLabel} → ${e.toLabel}` : ''}
            </Typography.Text>
            {e.reason && (
              <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {t('理由', 'Reason')}：{e.reason}
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}

// The diff ------------------------------------------------------------------------------------

type Piece = { kind: 'same' | 'add' | 'del'; text: string };

/** A line diff (longest common subsequence): plans are short, a quadratic table is fine. */
export function diffLines(before: string, after: string): Piece[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: Piece[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: 'del', text: a[i++]! });
    else out.push({ kind: 'add', text: b[j++]! });
  }
  while (i < n) out.push({ kind: 'del', text: a[i++]! });
  while (j < m) out.push({ kind: 'add', text: b[j++]! });
  return out;
}

const PIECE_STYLE: Record<Piece['kind'], CSSProperties> = {
  same: { color: '#595959' },
  add: { background: '#f6ffed', color: '#237804', textDecoration: 'none' },
  del: { background: '#fff1f0', color: '#a8071a', textDecoration: 'line-through' },
};

function LineDiff({ before, after }: { before: string; after: string }) {
  return (
    <div
      style={{
        border: '1px solid #f0f0f0',
        borderRadius: 6,
        padding: 8,
        fontSize: 13,
        overflowWrap: 'anywhere',
      }}
    >
      {diffLines(before, after).map((p, k) => {
        // <ins> and <del> say "added" and "removed" to a screen reader as well as by colour.
        const Tag = p.kind === 'add' ? 'ins' : p.kind === 'del' ? 'del' : 'div';
        return (
          <Tag
            // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity of their own
            key={k}
            style={{ ...PIECE_STYLE[p.kind], display: 'block', whiteSpace: 'pre-wrap', padding: '0 4px' }}
          >
            {p.kind === 'add' ? '+ ' : p.kind === 'del' ? '− ' : '  '}
            {p.text || ' '}
          </Tag>
        );
      })}
    </div>
  );
}

const taskLine = (x: PlanTaskView) =>
  [x.what, x.target ? `目标：${x.target}` : '', x.dueOn ? `时限：${x.dueOn}` : '']
    .filter(Boolean)
    .join(' · ');

const asTasks = (v: unknown): PlanTaskView[] =>
  Array.isArray(v)
    ? v.map((x: Partial<PlanTaskView>) => ({
        what: String(x?.what ?? ''),
        target: x?.target ?? null,
        dueOn: x?.dueOn ?? null,
      }))
    : [];

/** What changed since the plan was last sent back, field by field; "nothing" said plainly. */
export function PlanDiff({ diff }: { diff: PlanDiffView }) {
  const { t } = useI18n();
  const fieldLabel = (f: string, zh: string) =>
    t(zh, f === 'title' ? 'Title' : f === 'content' ? 'Text' : 'Tasks');
  return (
    <div>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('上次退回', 'Last sent back')}：{formatDateTime(diff.returnedAt)}
        {diff.reason && (
          <>
            {' · '}
            {t('理由', 'Reason')}：{diff.reason}
          </>
        )}
      </Typography.Paragraph>
      {diff.changes.length === 0 ? (
        <Alert type="info" showIcon title={t('退回后尚未修改', 'Not changed since it was sent back')} />
      ) : (
        diff.changes.map((c) => (
          <div key={c.field} style={{ marginBottom: 12 }}>
            <Typography.Text strong>{fieldLabel(c.field, c.label)}</Typography.Text>
            <LineDiff
              before={
                c.field === 'tasks' ? asTasks(c.before).map(taskLine).join('\n') : String(c.before ?? '')
              }
              after={c.field === 'tasks' ? asTasks(c.after).map(taskLine).join('\n') : String(c.after ?? '')}
            />
          </div>
        ))
      )}
    </div>
  );
}
