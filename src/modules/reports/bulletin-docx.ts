import {
  AlignmentType,
  Document,
  Footer,
  type IRunOptions,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import JSZip from 'jszip';
import type { BulletinData, LevelRow, Outcomes } from './bulletin-data.ts';

/**
 * The half-year bulletin as a Word document in the plain form of a county organisation department's
 * 通报 (GB/T 9704-2012, without the red header): A4; margins 37/35/28/26 mm; title in 小标宋 二号
 * (22 pt), body in 仿宋_GB2312 三号 (16 pt) on a fixed 29 pt line, first lines indented two
 * characters; headings 一、 in 黑体 and （一） in 楷体; tables in 仿宋 小四; the issuing body and the
 * date at the foot; page numbers "— 1 —" in 宋体 四号, outside edge (odd right, even left).
 * Every figure comes from `BulletinData`; this file only lays it out.
 */

const latin = 'Times New Roman';
const font = (eastAsia: string) => ({ ascii: latin, hAnsi: latin, cs: latin, eastAsia });
const FONTS = {
  body: font('仿宋_GB2312'),
  title: font('方正小标宋简体'),
  hei: font('黑体'),
  kai: font('楷体_GB2312'),
  /** Page numbers: 宋体 throughout, digits included (半角宋体阿拉伯数字). */
  pageNumber: { ascii: '宋体', hAnsi: '宋体', cs: '宋体', eastAsia: '宋体' },
};

/**
 * Fallbacks written into the font table: a machine without the GB2312-era fonts (方正小标宋简体,
 * 仿宋_GB2312, 楷体_GB2312) takes the named alternative (宋体/SimSun, 仿宋/FangSong, 楷体/KaiTi).
 */
const FONT_TABLE: { name: string; alt: string; panose: string; pitch: 'fixed' | 'variable' }[] = [
  { name: '仿宋_GB2312', alt: '仿宋', panose: '02010609030101010101', pitch: 'fixed' },
  { name: '仿宋', alt: 'FangSong', panose: '02010609060101010101', pitch: 'fixed' },
  { name: '方正小标宋简体', alt: '宋体', panose: '02000000000000000000', pitch: 'variable' },
  { name: '宋体', alt: 'SimSun', panose: '02010600030101010101', pitch: 'variable' },
  { name: '黑体', alt: 'SimHei', panose: '02010609060101010101', pitch: 'fixed' },
  { name: '楷体_GB2312', alt: '楷体', panose: '02010609030101010101', pitch: 'fixed' },
  { name: '楷体', alt: 'KaiTi', panose: '02010609060101010101', pitch: 'fixed' },
];

const PT = 2; // docx sizes are half-points
const A4 = { width: 11906, height: 16838 }; // twips
const mm = (x: number) => Math.round((x * 1440) / 25.4);
const BODY = 16 * PT;
const LINE = 580; // 29 pt in twips: 22 lines on the page
const INDENT = 2 * 16 * 20; // two characters of 16 pt
const BODY_SPACING = { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 };

type RunStyle = Pick<IRunOptions, 'bold'> & { font?: typeof FONTS.body; size?: number };

const run = (text: string, s: RunStyle = {}) =>
  new TextRun({ text, font: s.font ?? FONTS.body, size: s.size ?? BODY, bold: s.bold });

/** A body paragraph: 仿宋 三号, first line indented two characters; parts may carry a 楷体 lead. */
function para(
  parts: (string | TextRun)[],
  opts: { indent?: boolean; align?: 'left' | 'right' | 'center'; keepNext?: boolean } = {},
) {
  return new Paragraph({
    ...(opts.keepNext && { keepNext: true, keepLines: true }),
    alignment:
      opts.align === 'right'
        ? AlignmentType.RIGHT
        : opts.align === 'center'
          ? AlignmentType.CENTER
          : AlignmentType.JUSTIFIED,
    spacing: BODY_SPACING,
    indent: opts.indent === false ? undefined : { firstLine: INDENT },
    children: parts.map((p) => (typeof p === 'string' ? run(p) : p)),
  });
}

const heading = (text: string) => para([run(text, { font: FONTS.hei })]);
const lead = (text: string) => run(text, { font: FONTS.kai });
const blank = (keepNext = false) => para([''], { indent: false, keepNext });

// Numbers as a bulletin writes them ----------------------------------------------------------------

const ZH_NUM = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const zhOrdinal = (n: number) => (n <= 10 ? ZH_NUM[n]! : n < 20 ? `十${ZH_NUM[n - 10]}` : String(n));

/** 2026-06-30 → 6月30日. */
export const monthDay = (iso: string) => `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
/** 2026-07-10 → 2026年7月10日. */
export const longDate = (iso: string) => `${iso.slice(0, 4)}年${monthDay(iso)}`;

const trim = (x: number, decimals: number) => {
  const s = x.toFixed(decimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
};
/** Yuan as 万元 with up to two decimals: 125000 → 12.5. */
export const wan = (yuan: number) => trim(yuan / 10_000, 2);
export const percent = (part: number, whole: number) =>
  whole > 0 ? `${trim((100 * part) / whole, 1)}%` : '—';
const amount = (x: number) => trim(x, 1);

/** "落实帮扶资金12.5万元，实施项目2个，…" of whatever the outcomes hold. */
function outcomeClauses(o: Outcomes): string[] {
  const out: string[] = [];
  if (o.yuan > 0) out.push(`落实帮扶资金${wan(o.yuan)}万元`);
  if (o.projects > 0) out.push(`实施项目${amount(o.projects)}个`);
  if (o.person_times > 0) out.push(`开展培训和学习${amount(o.person_times)}人次`);
  if (o.households > 0) out.push(`帮扶群众${amount(o.households)}户`);
  for (const x of o.other) out.push(`${otherVerb(x.unit)}${amount(x.amount)}${x.label}`);
  return out;
}
const otherVerb = (unit: string) =>
  ({ km: '修建道路', mu: '发展种植', items: '捐赠物资', people: '服务群众' })[unit] ?? '取得成效';

// Tables ---------------------------------------------------------------------------------------------

const TABLE_SIZE = 12 * PT;
/** A cell's lines: a header too wide for its column keeps its unit, （个）, whole on a line of its own. */
const cellPara = (lines: string[], bold = false, align: 'center' | 'left' = 'center') =>
  new Paragraph({
    alignment: align === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
    spacing: { line: 300, lineRule: LineRuleType.AT_LEAST, before: 40, after: 40 },
    children: lines.map(
      (text, i) =>
        new TextRun({
          text,
          font: bold ? FONTS.hei : FONTS.body,
          size: TABLE_SIZE,
          ...(i > 0 && { break: 1 }),
        }),
    ),
  });

/** Characters of 小四 that fit a column `twips` wide, cell margins aside. */
const fitsIn = (twips: number) => Math.floor((twips - 220) / (TABLE_SIZE * 10));
const headerLines = (text: string, twips: number) => {
  const unit = text.lastIndexOf('（');
  return [...text].length <= fitsIn(twips) || unit <= 0 ? [text] : [text.slice(0, unit), text.slice(unit)];
};

function table(header: string[], rows: string[][], widths: number[]) {
  const total = widths.reduce((a, b) => a + b, 0);
  const twips = widths.map((w) => Math.round((w / total) * mm(156)));
  const cell = (text: string, i: number, bold: boolean, header = false) =>
    new TableCell({
      width: { size: twips[i]!, type: WidthType.DXA },
      verticalAlign: VerticalAlign.CENTER,
      children: [
        cellPara(header ? headerLines(text, twips[i]!) : [text], bold, i === 0 && !bold ? 'left' : 'center'),
      ],
    });
  return new Table({
    width: { size: mm(156), type: WidthType.DXA },
    columnWidths: twips,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: header.map((h, i) => cell(h, i, true, true)),
      }),
      ...rows.map(
        (r, ri) =>
          new TableRow({
            cantSplit: true,
            children: r.map((v, i) => cell(v, i, ri === rows.length - 1 && r[0] === '合计')),
          }),
      ),
    ],
  });
}

const tableTitle = (text: string) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 120, after: 60 },
    children: [run(text, { font: FONTS.hei, size: 14 * PT })],
  });

const quotaCells = (r: LevelRow) =>
  r.withQuota === 0
    ? ['—', '—', '—', '—', '—']
    : [String(r.expected), String(r.done), String(r.on_track), String(r.behind_pace), String(r.short)];

// The document ---------------------------------------------------------------------------------------

export function bulletinTitle(d: BulletinData) {
  const half = d.half === 1 ? '上半年' : '下半年';
  const scope = d.scope.isCounty ? '' : d.scope.name;
  return `关于${d.year}年${half}${scope}城乡党建“三联共建”工作开展情况的通报`;
}

export function bulletinFileName(d: BulletinData) {
  return `${bulletinTitle(d)}.docx`;
}

function body(d: BulletinData): (Paragraph | Table)[] {
  const half = d.half === 1 ? '上半年' : '下半年';
  const asOf = monthDay(d.to);
  const h = d.headline;
  const c = d.compliance;
  const out: (Paragraph | Table)[] = [];

  out.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: 700, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
      children: [run(bulletinTitle(d), { font: FONTS.title, size: 22 * PT })],
    }),
  );
  out.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 200, after: 0 },
      children: [run(d.issuer, { font: FONTS.kai })],
    }),
  );
  out.push(blank());
  out.push(
    para(
      [
        d.scope.isCounty
          ? '各乡镇党委，县直各党（工）委，各有关单位：'
          : `${d.scope.name}所属各党组织，各有关单位：`,
      ],
      { indent: false },
    ),
  );

  // Opening: the seed report's headline for the half [000].
  const activity = [
    `${half}各结对共开展活动${d.activity.visits}次`,
    ...(d.activity.onSite > 0 ? [`其中到点工作${d.activity.onSite}次`] : []),
    ...outcomeClauses(d.activity.outcomes),
  ].join('，');
  out.push(
    para([
      `${d.year}年${half}，${d.scope.short}各级党组织认真落实县委关于开展城乡党建“三联共建”活动的部署要求，` +
        '围绕建班子、抓产业、保稳定，扎实推进“领导联点”“支部联建”“党员联帮”各项工作。' +
        `截至${asOf}，${d.scope.short}共有${h.leaders}名党员领导干部参与“领导联点”，联系农村党支部${h.leaderRuralBranches}个、企业党支部${h.leaderEnterpriseBranches}个；` +
        `${h.cobuildBranches}个党支部参与“支部联建”；${h.assistMembers}名党员参与“党员联帮”，` +
        `帮扶农村和企业困难党员${h.assistedNeedyMembers}名、农村和社区困难户${h.assistedNeedyHouseholds}户。` +
        `${activity}。现将有关情况通报如下。`,
    ]),
  );

  // 一、总体进展情况
  out.push(heading('一、总体进展情况'));
  const clauses = [
    `进度正常的${c.on_track}个，占${percent(c.on_track, c.withQuota)}`,
    ...(c.behind_pace > 0 ? [`进度滞后的${c.behind_pace}个`] : []),
    ...(c.short > 0 ? [`提前结束且未完成任务的${c.short}个`] : []),
    ...(c.not_started > 0 ? [`尚未开始的${c.not_started}个`] : []),
  ];
  out.push(
    para([
      lead('（一）到点工作进度。'),
      c.withQuota === 0
        ? `截至${asOf}，${d.scope.short}暂无有到点工作次数要求的结对。`
        : `截至${asOf}，有到点工作次数要求的${c.withQuota}个结对中，${clauses.join('；')}。` +
          `按时序进度，年初至${asOf}应到点${c.expected}次、实际到点${c.done}次，完成${percent(c.done, c.expected)}。分类别情况见表1。`,
    ]),
  );
  out.push(tableTitle(`表1  分类别推进情况（截至${asOf}）`));
  out.push(
    table(
      [
        '类别',
        '结对（个）',
        `${half}活动（次）`,
        '应到点（次）',
        '实到点（次）',
        '进度正常（个）',
        '进度滞后（个）',
        '未完成（个）',
      ],
      d.byKind.map((k) => [k.label, String(k.pairings), String(k.visits), ...quotaCells(k)]),
      [16, 11, 13, 12, 12, 12, 12, 12],
    ),
  );

  const townships = d.byTownship.filter((t) => t.orgId !== null);
  const clean = townships.filter((t) => t.withQuota > 0 && t.behind_pace + t.short === 0);
  const worst = townships
    .filter((t) => t.behind_pace + t.short > 0)
    .sort((a, b) => b.behind_pace + b.short - (a.behind_pace + a.short))
    .slice(0, 3);
  const townshipText = [
    ...(clean.length > 0
      ? [
          `${clean
            .slice(0, 6)
            .map((t) => t.name)
            .join('、')}${clean.length > 6 ? `等${clean.length}个单位` : ''}所联结对到点工作全部按进度推进`,
        ]
      : []),
    ...(worst.length > 0 ? [`${worst.map((t) => t.name).join('、')}进度滞后的结对相对较多`] : []),
  ];
  out.push(
    para([
      lead('（二）各乡镇推进情况。'),
      `${townshipText.length > 0 ? `从各乡镇（单位）看，${townshipText.join('；')}。` : ''}各乡镇（单位）情况见表2。`,
    ]),
  );
  out.push(tableTitle(`表2  各乡镇（单位）推进情况（截至${asOf}）`));
  out.push(
    table(
      [
        '乡镇（单位）',
        '结对（个）',
        '有到点要求（个）',
        '进度正常（个）',
        '进度滞后（个）',
        '未完成（个）',
        `${half}活动（次）`,
        '帮扶资金（万元）',
      ],
      [...d.byTownship, d.total].map((t) => [
        t.name,
        String(t.pairings),
        String(t.withQuota),
        String(t.on_track),
        String(t.behind_pace),
        String(t.short),
        String(t.visits),
        wan(t.yuan),
      ]),
      [20, 11, 11, 11, 11, 11, 11, 14],
    ),
  );

  const tk = d.tasks;
  out.push(
    para([
      lead('（三）卡册任务检查情况。'),
      tk.checked === 0
        ? `${half}尚未开展卡册任务督促检查，各单位要按照卡册管理要求，及时组织检查。`
        : `${half}，对${tk.pairings}个结对的${tk.checked}项卡册任务开展了督促检查，已完成${tk.done}项、推进中${tk.in_progress}项、` +
          `滞后${tk.behind}项、未开始${tk.not_started}项，任务完成率${percent(tk.done, tk.checked)}。`,
    ]),
  );

  // 二、典型做法
  out.push(heading('二、典型做法'));
  if (d.practice.length === 0) {
    out.push(para([`${half}各结对登记的帮扶成效记录较少，请各单位及时、如实登记活动及成效。`]));
  } else {
    out.push(
      para(['各地各单位结合实际，创新方式方法，涌现出一批措施实、成效好的结对典型。现择要通报如下：']),
    );
    d.practice.forEach((p, i) => {
      const kinds = p.byKind
        .slice(0, 3)
        .map((k) => `${k.label}${k.count}次`)
        .join('、');
      const facts = [
        `${half}开展结对活动${p.visits}次${kinds ? `（${kinds}）` : ''}`,
        ...outcomeClauses(p.outcomes),
      ].join('，');
      out.push(para([lead(`（${zhOrdinal(i + 1)}）${p.subject}（${p.kindLabel}）。`), `${facts}。`]));
    });
  }

  // 三、存在的问题
  out.push(heading('三、存在的问题'));
  out.push(para(['对照年度目标任务，工作中还存在一些不容忽视的问题：']));
  if (d.laggards.length === 0) {
    out.push(
      para([
        lead('（一）到点工作总体按进度推进。'),
        `截至${asOf}，${d.scope.short}有到点工作次数要求的结对未发现进度滞后的情况，但部分结对活动形式较为单一，帮扶实效有待提升。`,
      ]),
    );
  } else {
    out.push(
      para([
        lead('（一）部分结对到点工作进度滞后。'),
        `截至${asOf}，有${c.behind_pace}个结对到点工作进度滞后` +
          `${c.short > 0 ? `，${c.short}个结对提前结束且未完成任务` : ''}，具体是：`,
      ]),
    );
    const groups = new Map<string, typeof d.laggards>();
    for (const l of d.laggards) groups.set(l.township, [...(groups.get(l.township) ?? []), l]);
    const shown = d.laggards.length;
    for (const [township, items] of groups) {
      const text = items
        .map(
          (l) =>
            `${l.text}（${l.endedOn ? `已于${monthDay(l.endedOn)}结束，` : ''}应到点${l.expected}次、实到${l.done}次）`,
        )
        .join('；');
      out.push(para([`${township}：${text}。`]));
    }
    if (c.behind_pace + c.short > shown)
      out.push(para([`另有${c.behind_pace + c.short - shown}个结对不再逐一列出。`]));
  }
  const ins = d.inspections;
  const found = `${half}共开展督查${ins.checks}次，发现问题${ins.problems}个`;
  if (ins.checks === 0 && ins.open === 0) {
    out.push(para([lead('（二）督查工作有待加强。'), `${half}${d.scope.short}未开展督查。`]));
  } else if (ins.open === 0) {
    out.push(para([lead('（二）督查发现问题整改情况。'), `${found}，截至${asOf}均已整改到位。`]));
  } else if (ins.overdue === 0) {
    out.push(
      para([
        lead('（二）督查发现问题整改情况。'),
        `${found}，按期整改${ins.closedInTime}个；截至${asOf}，尚有${ins.open}个问题正在按期整改。`,
      ]),
    );
  } else {
    out.push(
      para([
        lead('（二）部分督查发现的问题整改不到位。'),
        `${found}，按期整改${ins.closedInTime}个；截至${asOf}，尚有${ins.open}个问题未整改到位，` +
          `其中逾期未整改${ins.overdue}个，具体是：`,
      ]),
    );
    // By owner; the same problem owned twice (two checks found it) is written once with its count.
    const byOwner = new Map<string, Map<string, number>>();
    for (const r of ins.items) {
      const line = `${r.problem.replace(/[。；;，,\s]+$/u, '')}（整改时限${monthDay(r.dueOn)}，已逾期${
        r.ownerName ? `，责任人${r.ownerName}` : ''
      }）`;
      const lines = byOwner.get(r.owner) ?? new Map<string, number>();
      lines.set(line, (lines.get(line) ?? 0) + 1);
      byOwner.set(r.owner, lines);
    }
    for (const [owner, lines] of byOwner) {
      const text = [...lines.entries()].map(([line, n]) => (n > 1 ? `${line}（共${n}处）` : line)).join('；');
      out.push(para([`${owner}：${text}。`]));
    }
    const rest = ins.open - ins.overdue;
    const unlisted = ins.overdue - ins.items.length;
    const tail = [
      ...(unlisted > 0 ? [`另有${unlisted}个逾期问题不再逐一列出`] : []),
      ...(rest > 0 ? [`其余${rest}个问题正在按期整改`] : []),
    ];
    if (tail.length > 0) out.push(para([`${tail.join('；')}。`]));
  }

  // 四、下步工作要求
  out.push(heading('四、下步工作要求'));
  out.push(
    para([
      `${d.half === 1 ? '下半年' : '明年'}，各级党组织要进一步提高思想认识，对照年度目标任务，查缺补漏、真抓实干，确保“三联共建”活动取得实效。`,
    ]),
  );
  const steps =
    d.half === 1
      ? [
          [
            '一是压实工作责任。',
            '各联点领导干部要严格落实到点工作要求，联建支部要落实联点支部书记负责制，联帮党员要按照卡册任务逐项推进，确保年度任务按时完成。',
          ],
          [
            '二是补齐进度短板。',
            '对本通报点名的进度滞后结对，相关党组织要在15日内研究制定整改措施，明确时间节点，按时序进度补足到点工作次数，并将整改情况报县委组织部。',
          ],
          [
            '三是抓好问题整改。',
            '对督查发现的问题，责任单位要建立台账、逐项销号，逾期未整改的要说明原因，县委组织部将适时开展“回头看”。',
          ],
          [
            '四是注重帮扶实效。',
            '坚持把群众满意作为检验工作的标准，多办群众看得见、摸得着的实事好事，及时如实登记活动和成效，为年终考评打好基础。',
          ],
        ]
      : [
          [
            '一是做好年终总结。',
            '各结对要对照年初方案和卡册任务逐项总结，及时组织被帮扶对象和所在党支部签署年末意见。',
          ],
          [
            '二是抓好问题整改。',
            '对督查发现尚未整改到位的问题，责任单位要限期整改销号，并将整改情况报县委组织部。',
          ],
          [
            '三是做好年终考评。',
            '县委组织部将结合群众满意度测评、督查和年末签署意见等情况开展年终考评，考评结果作为评先评优和民主评议党员的重要参考。',
          ],
          [
            '四是谋划来年工作。',
            '各级党组织要认真研究来年结对安排，巩固拓展共建成果，推动“三联共建”常态长效。',
          ],
        ];
  // The last paragraph goes with the issuer and the date: the signature never stands alone on a page.
  steps.forEach(([l, text], i) => {
    out.push(para([lead(l!), text!], { keepNext: i === steps.length - 1 }));
  });
  out.push(blank(true));
  out.push(blank(true));
  out.push(
    new Paragraph({
      keepNext: true,
      alignment: AlignmentType.RIGHT,
      spacing: BODY_SPACING,
      indent: { right: INDENT },
      children: [run(d.issuer)],
    }),
  );
  out.push(
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: BODY_SPACING,
      indent: { right: INDENT },
      children: [run(longDate(d.issuedOn))],
    }),
  );
  return out;
}

function pageNumber(align: 'left' | 'right') {
  return new Footer({
    children: [
      new Paragraph({
        alignment: align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: align === 'right' ? { right: 320 } : { left: 320 },
        children: [
          new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: FONTS.pageNumber, size: 14 * PT }),
        ],
      }),
    ],
  });
}

/** The bulletin as a .docx file. */
export async function renderBulletin(d: BulletinData): Promise<Buffer> {
  const doc = new Document({
    creator: d.issuer,
    title: bulletinTitle(d),
    description: `${d.year}年${d.half === 1 ? '上' : '下'}半年通报（${d.from}至${d.halfEnd}）`,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: FONTS.body, size: BODY, language: { value: 'en-US', eastAsia: 'zh-CN' } },
          paragraph: { spacing: BODY_SPACING },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height },
            margin: {
              top: mm(37),
              bottom: mm(35),
              left: mm(28),
              right: mm(26),
              footer: mm(25),
              header: mm(15),
            },
          },
        },
        footers: { default: pageNumber('right'), even: pageNumber('left') },
        children: body(d),
      },
    ],
  });
  return withFontFallbacks(await Packer.toBuffer(doc));
}

/** Writes the fonts used, with their alternatives, into word/fontTable.xml (docx leaves it empty). */
async function withFontFallbacks(docx: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const fonts = FONT_TABLE.map(
    (f) =>
      `<w:font w:name="${f.name}"><w:altName w:val="${f.alt}"/><w:panose1 w:val="${f.panose}"/><w:charset w:val="86"/>` +
      `<w:family w:val="${f.pitch === 'fixed' ? 'modern' : 'auto'}"/><w:pitch w:val="${f.pitch}"/></w:font>`,
  ).join('');
  const times =
    '<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>' +
    '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>';
  zip.file(
    'word/fontTable.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      `${fonts}${times}</w:fonts>`,
    { createFolders: false },
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
