import { OPINIONS } from '../../domain/pairings.ts';
import { countyToday } from '../plans/clock.ts';
import { esc } from '../publicity/html.ts';
import type { RegisterData } from './service.ts';

/**
 * The card (卡) of a pairing's year, for the helped party and its branch: one A4 page, printed from
 * the browser. Rendered on the server with no script (the CSP allows none inline) and inline styles
 * only; every value passes through `esc`.
 */

const STYLE = `
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font:10.5pt/1.45 "SimSun","Songti SC","Noto Serif CJK SC",serif;color:#000;background:#e8e8e8}
.sheet{background:#fff;width:210mm;min-height:297mm;margin:8mm auto;padding:14mm 15mm}
h1{font-size:17pt;text-align:center;margin:0 0 2mm;letter-spacing:2px}
.sub{text-align:center;margin:0 0 4mm;font-size:9.5pt;color:#333}
h2{font-size:11.5pt;margin:4mm 0 1.5mm;border-left:3px solid #b71c1c;padding-left:2mm}
table{width:100%;border-collapse:collapse;table-layout:fixed}
th,td{border:1px solid #000;padding:1.2mm 1.8mm;vertical-align:top;word-break:break-word;text-align:left}
th{background:#f2f2f2;font-weight:bold}
.info th{width:22mm}
.tasks .n{width:9mm;text-align:center}
.tasks .target{width:32mm}
.tasks .due{width:22mm}
.tasks .check{width:36mm}
.muted{color:#444;font-size:9pt}
.empty{text-align:center;color:#444}
.signs{display:flex;gap:4mm}
.box{flex:1;border:1px solid #000;padding:2mm 3mm;min-height:44mm;display:flex;flex-direction:column}
.box h3{font-size:11pt;margin:0 0 2mm}
.opts span{margin-right:4mm;white-space:nowrap}
.comment{flex:1;margin:2mm 0}
.sig{margin:0}
.note{font-size:8.5pt;color:#333;margin:1mm 0 0}
.foot{margin-top:4mm;font-size:8.5pt;color:#333}
.hint{text-align:center;font:12px sans-serif;color:#555;margin:6mm 0 0}
@page{size:A4 portrait;margin:12mm 14mm}
@media print{
  body{background:#fff}
  .sheet{width:auto;min-height:0;margin:0;padding:0}
  .hint{display:none}
  tr,.box,.signs{break-inside:avoid;page-break-inside:avoid}
}
`;

const dateOf = (isoTime: string | null) => (isoTime ? countyToday(new Date(isoTime)) : '');

function signBox(title: string, s: RegisterData['signoffs'][number] | undefined) {
  const opts = OPINIONS.map((o) => `<span>${s?.opinion === o.code ? '☑' : '☐'} ${esc(o.zh)}</span>`).join('');
  const notes: string[] = [];
  if (s?.onBehalf) {
    notes.push(`代为录入${s.recordedByName ? `：${esc(s.recordedByName)}` : ''}（本人未签字）`);
  }
  if (s?.amendedReason) {
    notes.push(`${esc(dateOf(s.amendedAt))} 经县委组织部更正，理由：${esc(s.amendedReason)}`);
  }
  return `<div class="box">
<h3>${esc(title)}</h3>
<p class="opts">${opts}</p>
<div class="comment">意见：${s?.comment ? esc(s.comment) : ''}</div>
<p class="sig">签字（盖章）：${s ? `${esc(s.onBehalf ? '' : (s.recordedByName ?? ''))}` : '＿＿＿＿＿＿'}　　日期：${
    s ? esc(dateOf(s.recordedAt)) : '　　年　　月　　日'
  }</p>
${notes.map((n) => `<p class="note">${n}</p>`).join('\n')}
</div>`;
}

export function renderCard(d: RegisterData) {
  const p = d.pairing;
  const helper = `${esc(p.helper.name ?? '')}${
    p.helper.memberId !== null && p.helper.orgName ? `（${esc(p.helper.orgName)}）` : ''
  }`;
  const helpedName = `${p.helped.name ?? ''}${p.helped.householdId !== null ? '户' : ''}`;
  const helped = `${esc(helpedName)}${
    p.helped.orgName && p.helped.name !== p.helped.orgName ? `（${esc(p.helped.orgName)}）` : ''
  }`;
  const plan = d.plan
    ? `${esc(d.plan.title)}（${esc(d.plan.statusLabel)}）`
    : '<span class="muted">本年度方案尚未制定</span>';

  const tasks = d.tasks.length
    ? d.tasks
        .map((t) => {
          const c = t.latestCheck;
          const check = c
            ? `${esc(c.statusLabel)}${c.comment ? `<div class="muted">${esc(c.comment)}</div>` : ''}<div class="muted">${esc(dateOf(c.checkedAt))}</div>`
            : '<span class="muted">未检查</span>';
          return `<tr><td class="n">${esc(t.seq)}</td><td>${esc(t.what)}</td><td>${esc(t.target ?? '')}</td><td>${esc(
            t.dueOn ?? '',
          )}</td><td>${check}</td></tr>`;
        })
        .join('\n')
    : '<tr><td colspan="5" class="empty">（无）</td></tr>';

  const c = p.compliance;
  const visits = !c
    ? `本年度活动记录 ${esc(d.visits.length)} 次。`
    : c.hasQuota
      ? `本年度活动记录 ${esc(d.visits.length)} 次，其中计入要求的 <b>${esc(c.done)}</b> 次；年度要求不少于 <b>${esc(
          c.requiredFullYear,
        )}</b> 次${c.required !== c.requiredFullYear ? `（结对期内应完成 ${esc(c.required)} 次）` : ''}。完成情况：<b>${esc(
          c.levelLabel,
        )}</b>。`
      : `本年度活动记录 ${esc(d.visits.length)} 次。本类结对不设走访次数要求，以任务完成情况和年末意见为准。`;

  const byParty = (party: string) => d.signoffs.find((s) => s.party === party);
  const closed = d.closed ? '<p class="muted">双方均已签署，本年度已办结。</p>' : '';

  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${d.year}年度${p.kindLabel}联系卡 - ${p.title}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main class="sheet">
<h1>${esc(d.year)}年度${esc(p.kindLabel)}联系卡</h1>
<p class="sub">${esc(p.title)} · 编号 ${esc(p.id)}-${esc(d.year)}</p>
<table class="info">
<tr><th>结对类型</th><td>${esc(p.kindLabel)}</td><th>结对期限</th><td>${esc(p.yearFrom)}—${esc(p.yearTo)}年</td></tr>
<tr><th>帮扶方</th><td colspan="3">${helper}</td></tr>
<tr><th>被帮扶方</th><td colspan="3">${helped}</td></tr>
<tr><th>年度方案</th><td colspan="3">${plan}</td></tr>
</table>
<h2>年度帮扶任务（年初确定）</h2>
<table class="tasks">
<thead><tr><th class="n">序号</th><th>任务</th><th class="target">目标</th><th class="due">完成时限</th><th class="check">年中检查</th></tr></thead>
<tbody>
${tasks}
</tbody>
</table>
<h2>走访与活动</h2>
<p>${visits}</p>
<h2>年末签署意见</h2>
<div class="signs">
${signBox('被帮扶对象意见', byParty('helped'))}
${signBox('被帮扶方所在党支部意见', byParty('helped_branch'))}
</div>
${closed}
<p class="foot">本卡由被帮扶对象及其所在党组织持有，与帮扶方所持帮扶册年中对照检查；年末由被帮扶对象及其所在党支部签署意见，作为考评依据。打印日期：${esc(
    countyToday(),
  )}</p>
</main>
<p class="hint">使用浏览器的“打印”（Ctrl+P）即可打印为一页A4。</p>
</body>
</html>`;
}
