import { esc } from '../publicity/html.ts';

/**
 * The public satisfaction survey page (满意度测评), rendered on the server for a phone: plain HTML,
 * a form with three choices and an optional comment, no script, inline styles only. It shows whom
 * the survey is about and never a score, a rank or a person's name. Every value passes through `esc`.
 */

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:17px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#f6f6f6}
header{background:#b71c1c;color:#fff;padding:12px 16px}
header h1{margin:0;font-size:18px}
header p{margin:4px 0 0;font-size:13px;opacity:.9}
main{max-width:640px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:8px;padding:14px 16px;margin:0 0 12px}
h2{font-size:17px;margin:0 0 8px}
.muted{color:#666;font-size:13px}
.ok{background:#e8f5e9;color:#1b5e20;border-radius:6px;padding:10px 12px;margin:0 0 12px}
.err{background:#ffebee;color:#b71c1c;border-radius:6px;padding:10px 12px;margin:0 0 12px}
fieldset{border:0;margin:0;padding:0}
legend{font-weight:600;margin:0 0 8px}
.choice{display:flex;gap:10px;align-items:center;border:1px solid #ddd;border-radius:8px;padding:12px;margin:0 0 8px}
.choice input{width:20px;height:20px}
label{display:block}
textarea{width:100%;min-height:96px;font:inherit;padding:8px;border:1px solid #ccc;border-radius:6px}
button{margin-top:12px;width:100%;padding:12px;font:inherit;color:#fff;background:#b71c1c;border:0;border-radius:6px}
`;

export interface SurveyPageData {
  title: string;
  county: { name: string };
  subject: string;
  year: number;
  opensOn: string;
  closesOn: string;
  open: boolean;
  question: string;
  options: { code: string; label: string }[];
}

export interface SurveyFormState {
  sent?: boolean;
  error?: string;
  answer?: string;
  comment?: string;
}

export const surveyFormUrl = (token: string) => `/public/surveys/${encodeURIComponent(token)}`;

export function renderSurveyPage(token: string, s: SurveyPageData, form: SurveyFormState = {}) {
  const notice = form.sent
    ? '<div class="ok" role="status">提交成功，感谢您的参与！</div>'
    : form.error
      ? `<div class="err" role="alert">${esc(form.error)}</div>`
      : '';
  const choices = s.options
    .map(
      (o) =>
        `<label class="choice"><input type="radio" name="answer" value="${esc(o.code)}" required${
          form.answer === o.code ? ' checked' : ''
        }> ${esc(o.label)}</label>`,
    )
    .join('\n');
  const body =
    s.open && !form.sent
      ? `<form method="post" action="${esc(surveyFormUrl(token))}">
<fieldset><legend>${esc(s.question)}</legend>
${choices}
</fieldset>
<label for="comment">意见建议（选填，不超过500字）</label>
<textarea id="comment" name="comment" maxlength="500">${esc(form.comment ?? '')}</textarea>
<p class="muted">无需填写姓名、电话等个人信息。</p>
<button type="submit">提交</button>
</form>`
      : s.open
        ? ''
        : '<p class="muted">本次测评已结束，感谢您的关注。</p>';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(s.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${esc(s.county.name)} 群众满意度测评</h1><p>城乡党建结对共建</p></header>
<main>
<section>
<h2>${esc(s.title)}</h2>
<p class="muted">测评对象：${esc(s.subject)}<br>测评时间：${esc(s.opensOn)} 至 ${esc(s.closesOn)}</p>
</section>
<section>${notice}${body}</section>
</main>
</body>
</html>`;
}
