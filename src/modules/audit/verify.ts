import { createHash } from 'node:crypto';
import { countyNow } from '../../domain/clock.ts';
import { invalid } from '../../platform/errors.ts';
import type { ServiceContext } from '../context.ts';
import { chainPage, firstUnchained } from './repository.ts';

/**
 * Walks a county's audit hash chain (migration 0011) from its first record: each record must sit
 * at the next place and its stored hash must be sha256(previous hash || its canonical bytes). The
 * bytes come from the database's own `audit_row_bytes`; the hashing is done here, independently of
 * the trigger that wrote them. The first record that fails is reported, in Chinese and English.
 *
 * What it cannot see on its own: records cut from the end of the chain, or a chain rewritten whole
 * by someone who recomputed every hash. An anchor — the place and hash of a record noted outside the
 * database earlier (`head` of an earlier run) — catches both up to that record.
 */
export type BreakReason = 'altered' | 'missing' | 'unchained' | 'anchor';

export interface ChainBreak {
  reason: BreakReason;
  /** The record where the chain breaks; null when it is the anchored record that is gone. */
  id: number | null;
  at: string | null;
  chainSeq: number | null;
  message: string;
  messageEn: string;
}

export interface ChainHead {
  chainSeq: number;
  id: number;
  at: string;
  hash: string;
}

export interface ChainReport {
  ok: boolean;
  /** Records checked before the first break (all of them when ok). */
  records: number;
  /** The last record checked and its hash: note it elsewhere to anchor a later verification. */
  head: ChainHead | null;
  firstBreak: ChainBreak | null;
  message: string;
  messageEn: string;
}

export interface ChainAnchor {
  chainSeq: number;
  hash: string;
}

const PAGE = 2000;

/** Parses `<place>:<hex sha256>` as printed by `gongjian audit verify` (the head). */
export function parseAnchor(text: string, field = 'anchor'): ChainAnchor {
  const m = /^(\d{1,15}):([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!m || Number(m[1]) < 1) {
    throw invalid(field, '锚点格式应为“序号:哈希”（64位十六进制）', 'an anchor is "<place>:<64 hex digits>"');
  }
  return { chainSeq: Number(m[1]), hash: m[2]!.toLowerCase() };
}

const iso = (at: Date | string) => (at instanceof Date ? at : new Date(at)).toISOString();
/** The time as the county reads it: 2026-03-14 09:30:00. */
const local = (at: Date | string) =>
  countyNow(at instanceof Date ? at : new Date(at))
    .slice(0, 19)
    .replace('T', ' ');
const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('hex') : '');

export async function verifyAuditChain(ctx: ServiceContext, anchor?: ChainAnchor): Promise<ChainReport> {
  const stray = await firstUnchained(ctx.db, ctx.countyId);
  if (stray) {
    return broken(0, null, {
      reason: 'unchained',
      id: stray.id,
      at: iso(stray.at),
      chainSeq: null,
      message: `审计记录（编号${stray.id}，${local(stray.at)}）不在哈希链上：绕过触发器写入`,
      messageEn: `audit record id ${stray.id} (${iso(stray.at)}) is not on the hash chain: written with the trigger disabled`,
    });
  }
  let prev: Uint8Array = new Uint8Array(0);
  let expected = 1;
  let head: ChainHead | null = null;
  let anchorSeen = false;
  for (;;) {
    const rows = await chainPage(ctx.db, ctx.countyId, expected - 1, PAGE);
    for (const r of rows) {
      const where = `编号${r.id}，${local(r.at)}`;
      const whereEn = `id ${r.id}, ${iso(r.at)}`;
      if (r.chain_seq !== expected) {
        return broken(expected - 1, head, {
          reason: 'missing',
          id: r.id,
          at: iso(r.at),
          chainSeq: r.chain_seq,
          message: `审计记录第${r.chain_seq}条（${where}）之前缺少第${expected}至${r.chain_seq - 1}条：记录被删除`,
          messageEn: `records #${expected} to #${r.chain_seq - 1} are missing before audit record #${r.chain_seq} (${whereEn}): deleted`,
        });
      }
      const digest = createHash('sha256').update(prev).update(r.bytes).digest();
      if (!r.hash || !digest.equals(Buffer.from(r.hash))) {
        return broken(expected - 1, head, {
          reason: 'altered',
          id: r.id,
          at: iso(r.at),
          chainSeq: r.chain_seq,
          message: `审计记录第${r.chain_seq}条（${where}）与哈希链不符：该条记录（或链上在它之前的记录）被改动`,
          messageEn: `audit record #${r.chain_seq} (${whereEn}) does not match the hash chain: it, or the chain before it, was altered`,
        });
      }
      prev = r.hash;
      head = { chainSeq: r.chain_seq, id: r.id, at: iso(r.at), hash: hex(r.hash) };
      if (anchor && r.chain_seq === anchor.chainSeq) {
        if (head.hash !== anchor.hash) {
          return broken(expected, head, {
            reason: 'anchor',
            id: r.id,
            at: iso(r.at),
            chainSeq: r.chain_seq,
            message: `审计记录第${r.chain_seq}条（${where}）的哈希与锚点不符：哈希链被整体重算`,
            messageEn: `audit record #${r.chain_seq} (${whereEn}) has not the anchored hash: the chain was recomputed`,
          });
        }
        anchorSeen = true;
      }
      expected++;
    }
    if (rows.length < PAGE) break;
  }
  const records = expected - 1;
  if (anchor && !anchorSeen) {
    return broken(records, head, {
      reason: 'anchor',
      id: null,
      at: null,
      chainSeq: anchor.chainSeq,
      message: `锚定的第${anchor.chainSeq}条审计记录已不存在（现仅${records}条）：链尾记录被删除`,
      messageEn: `the anchored audit record #${anchor.chainSeq} is gone (${records} remain): records were cut from the end`,
    });
  }
  return {
    ok: true,
    records,
    head,
    firstBreak: null,
    message: `审计记录哈希链完整，共${records}条${anchor ? `，与锚点第${anchor.chainSeq}条相符` : ''}`,
    messageEn: `the audit hash chain is intact: ${records} records${anchor ? `, matching the anchor at #${anchor.chainSeq}` : ''}`,
  };
}

function broken(records: number, head: ChainHead | null, b: ChainBreak): ChainReport {
  return {
    ok: false,
    records,
    head,
    firstBreak: b,
    message: `审计记录哈希链断裂：${b.message}`,
    messageEn: `the audit hash chain is broken: ${b.messageEn}`,
  };
}
