import { maskIdNumber, maskName } from '../../domain/masking.ts';

/**
 * What the public may read of a plan (公示): the plan as written, with personal data taken out.
 *
 * - Anything shaped like an 18-character ID number becomes 110105********002X;
 * - anything shaped like a mobile number (also written 138-1234-5678 or 138 1234 5678, also in
 *   full-width digits) becomes 138****5678;
 * - any other run of 11 or more digits (a bank card, an old 15-digit ID) keeps only its last 4;
 * - the full names given (the heads of the households and the needy members the plan concerns)
 *   become surname + 某 (王大明 → 王某).
 * Leaders' and members' names stay: they act in public office.
 */
const DIGIT = '[0-9０-９]';
const ID_SHAPE = new RegExp(`(?<!${DIGIT})${DIGIT}{17}[0-9０-９XxＸｘ](?![0-9０-９XxＸｘ])`, 'g');
const MOBILE_SHAPE = new RegExp(
  `(?<!${DIGIT})[1１][3-9３-９]${DIGIT}[-－\\s]?${DIGIT}{4}[-－\\s]?${DIGIT}{4}(?!${DIGIT})`,
  'g',
);
const LONG_NUMBER = new RegExp(`${DIGIT}{11,}`, 'g');

const maskMobile = (m: string) => {
  const digits = [...m].filter((c) => /[0-9０-９]/.test(c));
  return `${digits.slice(0, 3).join('')}****${digits.slice(-4).join('')}`;
};

/** The text with ID numbers, mobile numbers, long numbers and the given names masked. */
export function maskText(text: string, names: readonly string[] = []): string {
  let out = text
    .replace(ID_SHAPE, (m) => maskIdNumber(m)!)
    .replace(MOBILE_SHAPE, maskMobile)
    .replace(LONG_NUMBER, (m) => `${'*'.repeat(m.length - 4)}${m.slice(-4)}`);
  for (const name of uniqueNames(names)) out = out.split(name).join(maskName(name));
  return out;
}

/** Longest first, so 王大明 is masked before a 王大 that is part of it; single characters are left. */
function uniqueNames(names: readonly string[]): string[] {
  const set = new Set(names.map((n) => n.trim()).filter((n) => [...n].length >= 2));
  return [...set].sort((a, b) => b.length - a.length);
}

export interface NoticeTask {
  seq: number;
  what: string;
  target: string | null;
  dueOn: string | null;
}

/** The body of a notice as stored (notices.body) and shown to the public. Every text is masked. */
export interface NoticeBody {
  kind: string;
  kindLabel: string;
  planName: string;
  year: number;
  title: string;
  content: string;
  tasks: NoticeTask[];
  /** Who helps: a leader's or member's name, or the helping organisation. */
  helper: string;
  /** Who is helped when it is a person or a household: masked (王某). */
  helped: string | null;
  /** Where the plan applies and is posted: the helped organisation. */
  place: string;
  startsOn: string;
  endsOn: string;
}

/** Masks every text of the notice; `helped` (a needy person's or household's name) is always reduced. */
export function buildNoticeBody(src: NoticeBody, names: readonly string[]): NoticeBody {
  const all = src.helped ? [...names, src.helped] : names;
  const m = (s: string) => maskText(s, all);
  return {
    kind: src.kind,
    kindLabel: src.kindLabel,
    planName: src.planName,
    year: src.year,
    title: m(src.title),
    content: m(src.content),
    tasks: src.tasks.map((t) => ({
      seq: t.seq,
      what: m(t.what),
      target: t.target === null ? null : m(t.target),
      dueOn: t.dueOn,
    })),
    helper: m(src.helper),
    helped: src.helped ? maskName(src.helped) : null,
    place: m(src.place),
    startsOn: src.startsOn,
    endsOn: src.endsOn,
  };
}
