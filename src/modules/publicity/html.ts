import type { NoticeBody } from './masking.ts';

/**
 * The public notice page, rendered on the server: plain HTML for a phone, no script (the CSP allows
 * none inline), inline styles only. Every value passes through `esc`; nothing from the database or the
 * request is written raw.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#f6f6f6}
header{background:#b71c1c;color:#fff;padding:12px 16px}
header h1{margin:0;font-size:18px}
header p{margin:4px 0 0;font-size:13px;opacity:.9}
main{max-width:720px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:8px;padding:14px 16px;margin:0 0 12px}
h2{font-size:17px;margin:0 0 8px}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:4px 12px;font-size:14px}
dt{color:#666}
dd{margin:0}
.content{white-space:pre-wrap;word-break:break-word}
ol{padding-left:20px;margin:0}
li{margin:0 0 6px}
.muted{color:#666;font-size:13px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#e8f5e9;color:#1b5e20}
.badge.ended{background:#eee;color:#555}
.ok{background:#e8f5e9;color:#1b5e20;border-radius:6px;padding:10px 12px;margin:0 0 12px}
.err{background:#ffebee;color:#b71c1c;border-radius:6px;padding:10px 12px;margin:0 0 12px}
label{display:block;margin:10px 0 4px;font-size:14px}
textarea,input[type=text]{width:100%;font:inherit;padding:8px;border:1px solid #ccc;border-radius:6px}
textarea{min-height:120px}
.check{display:flex;gap:6px;align-items:center}
button{margin-top:12px;width:100%;padding:12px;font:inherit;font-size:16px;color:#fff;background:#b71c1c;border:0;border-radius:6px}
.qa{border-top:1px solid #eee;padding:8px 0}
.qa:first-of-type{border-top:0}
.a{background:#fafafa;border-left:3px solid #b71c1c;padding:6px 10px;margin-top:6px}
a{color:#b71c1c}
`;

function page(title: string, header: string, sub: string, body: string) {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${esc(header)}</h1>${sub ? `<p>${esc(sub)}</p>` : ''}</header>
<main>
${body}
</main>
</body>
</html>`;
}

export interface NoticePageData {
  id: number;
  county: { code: string; name: string };
  title: string;
  body: NoticeBody;
  startsOn: string;
  endsOn: string;
  open: boolean;
  answers: { id: number; content: string; createdAt: string; answer: string; answeredAt: string | null }[];
}

export interface FormState {
  sent?: boolean;
  error?: string;
  content?: string;
  contact?: string;
  anonymous?: boolean;
}

const date = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

export function noticeUrl(id: number, countyCode: string, extra = '') {
  return `/public/notices/${id}?county=${encodeURIComponent(countyCode)}${extra}`;
}

export const feedbackUrl = (id: number, countyCode: string) =>
  `/public/notices/${id}/feedback?county=${encodeURIComponent(countyCode)}`;

export function renderNoticePage(n: NoticePageData, form: FormState = {}) {
  const b = n.body;
  const tasks = b.tasks.length
    ? `<ol>${b.tasks
        .map(
          (t) =>
            `<li>${esc(t.what)}${t.target ? `<div class="muted">目标：${esc(t.target)}</div>` : ''}${
              t.dueOn ? `<div class="muted">时限：${esc(t.dueOn)}</div>` : ''
            }</li>`,
        )
        .join('')}</ol>`
    : '<p class="muted">（无）</p>';
  const answers = n.answers.length
    ? n.answers
        .map(
          (a) => `<div class="qa"><div class="content">${esc(a.content)}</div>
<div class="muted">${esc(date(a.createdAt))} 群众意见</div>
<div class="a"><div class="content">${esc(a.answer)}</div><div class="muted">${esc(date(a.answeredAt))} 答复</div></div></div>`,
        )
        .join('\n')
    : '<p class="muted">暂无公开答复。</p>';
  const status = n.open ? '<span class="badge">公示中</span>' : '<span class="badge ended">公示已结束</span>';
  const notice = form.sent
    ? '<div class="ok" role="status">感谢您的意见！我们会认真研究处理，答复将在本页公开。</div>'
    : form.error
      ? `<div class="err" role="alert">${esc(form.error)}</div>`
      : '';
  const feedbackForm = n.open
    ? `<form method="post" action="${esc(feedbackUrl(n.id, n.county.code))}">
<label for="content">意见建议（1–1000字）</label>
<textarea id="content" name="content" maxlength="1000" required>${esc(form.content ?? '')}</textarea>
<label for="contact">联系方式（选填，不会公开）</label>
<input type="text" id="contact" name="contact" maxlength="100" value="${esc(form.contact ?? '')}">
<label class="check"><input type="checkbox" name="anonymous" value="on"${form.anonymous ? ' checked' : ''}> 匿名提交（不保存联系方式）</label>
<button type="submit">提交意见</button>
</form>`
    : '<p class="muted">公示期已结束，不再收集意见。</p>';
  const body = `
<section>
<h2>${esc(n.title)}</h2>
<p>${status}</p>
<dl>
<dt>类型</dt><dd>${esc(b.kindLabel)}（${esc(b.planName)}）</dd>
<dt>年度</dt><dd>${esc(b.year)}</dd>
<dt>帮扶方</dt><dd>${esc(b.helper)}</dd>
${b.helped ? `<dt>帮扶对象</dt><dd>${esc(b.helped)}</dd>` : ''}
<dt>公示地点</dt><dd>${esc(b.place)}</dd>
<dt>公示时间</dt><dd>${esc(n.startsOn)} 至 ${esc(n.endsOn)}</dd>
</dl>
</section>
<section><h2>方案内容</h2><div class="content">${esc(b.content)}</div></section>
<section><h2>任务</h2>${tasks}</section>
<section id="feedback"><h2>意见反馈</h2>${notice}${feedbackForm}</section>
<section><h2>意见与答复</h2>${answers}</section>
<p class="muted">公示期间，群众可对方案提出意见建议。个人信息已作脱敏处理。</p>`;
  return page(`${n.title} - 公示`, `${n.county.name} 公示`, '城乡党建共建方案公示', body);
}

export interface NoticeListPageData {
  county: { code: string; name: string };
  items: {
    id: number;
    title: string;
    kindLabel: string;
    place: string;
    startsOn: string;
    endsOn: string;
    open: boolean;
  }[];
}

export function renderNoticeListPage(d: NoticeListPageData) {
  const items = d.items.length
    ? d.items
        .map(
          (n) => `<section><h2><a href="${esc(noticeUrl(n.id, d.county.code))}">${esc(n.title)}</a></h2>
<p class="muted">${esc(n.kindLabel)} · ${esc(n.place)} · ${esc(n.startsOn)} 至 ${esc(n.endsOn)} ${
            n.open ? '<span class="badge">公示中</span>' : '<span class="badge ended">已结束</span>'
          }</p></section>`,
        )
        .join('\n')
    : '<section><p class="muted">目前没有公示。</p></section>';
  return page(`${d.county.name} 公示`, `${d.county.name} 公示`, '城乡党建共建方案公示', items);
}

export function renderMessagePage(title: string, message: string) {
  return page(title, title, '', `<section><p>${esc(message)}</p></section>`);
}
