import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import pg from 'pg';
import { lockDataDir } from '../src/db/lock.ts';
import { MEMBER_COLUMNS, matchHeaders, REQUIRED_MEMBER_FIELDS } from '../src/domain/import-headers.ts';
import { Columns } from '../src/modules/imports/columns.ts';
import { parseMemberRow } from '../src/modules/imports/member-rows.ts';
import { OrgIndex } from '../src/modules/imports/org-index.ts';
import type { MemberPatch } from '../src/modules/imports/repository.ts';
import { cellText, isBlankRow, openSheet } from '../src/modules/imports/sheet-reader.ts';
import type { DatabaseRef } from './targets.ts';

/**
 * The floor under the import: the same rows loaded by PostgreSQL's COPY, with no reading of xlsx,
 * no validation, no look-up of existing rows. The rows are the generated workbook read back once
 * through the importer's own parser, so COPY writes exactly the values the import writes.
 */

/** The members columns an import writes (the rest: id from the identity, timestamps by default). */
const COLUMNS = [
  'county_id',
  'org_id',
  'name',
  'gender',
  'ethnicity',
  'birth_date',
  'id_number',
  'phone',
  'education',
  'address',
  'category',
  'status',
  'join_date',
  'full_member_date',
  'occupation',
  'is_needy',
  'mobile_to',
  'leader_rank',
  'leader_unit',
] as const;

/** A row ready for CSV but for its county and organisation ids, which differ per database. */
export interface CopyRows {
  count: number;
  /** The organisation (full name) of each row. */
  orgs: string[];
  /** Each row's CSV from `name` on. */
  tails: string[];
}

const q = (v: string | null | undefined) => (v == null ? '' : `"${v.replaceAll('"', '""')}"`);

/** Reads the workbook with the importer's parser; every row must be valid (the generated sheet is). */
export async function readBackRows(
  file: string,
  orgs: ConstructorParameters<typeof OrgIndex>[0],
): Promise<CopyRows> {
  const index = new OrgIndex(orgs);
  const nameOf = new Map([...index.all()].map((o) => [o.id, o.name]));
  const source = await openSheet(file);
  const out: CopyRows = { count: 0, orgs: [], tails: [] };
  try {
    let cols: Columns<(typeof MEMBER_COLUMNS)[number]['field']> | undefined;
    for await (const row of source.rows) {
      if (isBlankRow(row.cells)) continue;
      if (!cols) {
        const header = matchHeaders(row.cells.map(cellText), MEMBER_COLUMNS, REQUIRED_MEMBER_FIELDS);
        if (header.missing.length) throw new Error(`${file}: missing columns ${header.missing.join(', ')}`);
        cols = new Columns(header, MEMBER_COLUMNS);
        continue;
      }
      const p = parseMemberRow(row.cells, cols, index);
      if (p.problems.length || !p.idNumber)
        throw new Error(`${file} row ${row.row}: ${JSON.stringify(p.problems)}`);
      out.orgs.push(nameOf.get(p.values.org_id!)!);
      out.tails.push(tail(p.idNumber, p.values));
      out.count++;
    }
  } finally {
    source.close();
  }
  return out;
}

/** The columns after org_id, with the importer's defaults for a new member (members-import.ts newMember). */
function tail(idNumber: string, v: MemberPatch): string {
  return [
    q(v.name),
    q(v.gender),
    q(v.ethnicity ?? '汉族'),
    v.birth_date ?? '',
    q(idNumber),
    q(v.phone),
    q(v.education),
    q(v.address),
    q(v.category ?? 'full'),
    q(v.status ?? 'normal'),
    v.join_date ?? '',
    v.full_member_date ?? '',
    q(v.occupation),
    String(v.is_needy ?? false),
    q(v.mobile_to),
    q(v.leader_rank),
    q(v.leader_unit),
  ].join(',');
}

export function toCsv(rows: CopyRows, countyId: number, orgIds: Map<string, number>): string {
  const lines: string[] = new Array(rows.count);
  for (let i = 0; i < rows.count; i++) {
    const org = orgIds.get(rows.orgs[i]!);
    if (org === undefined) throw new Error(`organisation ${rows.orgs[i]} not in this database`);
    lines[i] = `${countyId},${org},${rows.tails[i]}`;
  }
  return `${lines.join('\n')}\n`;
}

export type CopyTable = 'bare' | 'indexed' | 'members';

/**
 * Where the rows go: `bare` has the members columns with their defaults, identity and generated
 * column and nothing else (LIKE … INCLUDING DEFAULTS, plus IDENTITY and GENERATED so that COPY needs
 * no id and computes is_party_member as the real table does); `indexed` is LIKE … INCLUDING ALL, so it
 * also carries the CHECK constraints, the primary key, the unique (county_id, id_number) and the six
 * secondary indexes; `members` is the real table, foreign keys and all, in a transaction rolled back.
 */
const TABLES: Record<CopyTable, { table: string; ddl?: string }> = {
  bare: {
    table: 'members_copy',
    ddl: 'CREATE TABLE members_copy (LIKE members INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED)',
  },
  indexed: {
    table: 'members_copy_indexed',
    ddl: 'CREATE TABLE members_copy_indexed (LIKE members INCLUDING ALL)',
  },
  members: { table: 'members' },
};

export interface CopyResult {
  table: CopyTable;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  csvBytes: number;
  /** How the CSV reached the database. */
  via: string;
}

/**
 * The database's county and organisation ids by full name, then COPY into each scratch table. Only
 * the COPY statement is timed; the tables are dropped afterwards.
 */
export async function copyInto(
  ref: DatabaseRef,
  rows: CopyRows,
  countyCode: string,
  tables: readonly CopyTable[],
): Promise<CopyResult[]> {
  const session = ref.kind === 'embedded' ? await pgliteSession(ref.dataDir) : await serverSession(ref.url);
  try {
    const [county] = await session.query<{ id: number }>('SELECT id FROM counties WHERE code = $1', [
      countyCode,
    ]);
    const orgs = await session.query<{ id: number; name: string }>(
      "SELECT id, name FROM orgs WHERE county_id = $1 AND status = 'active'",
      [Number(county!.id)],
    );
    const csv = toCsv(rows, Number(county!.id), new Map(orgs.map((o) => [o.name, Number(o.id)])));
    const csvBytes = Buffer.byteLength(csv);
    const results: CopyResult[] = [];
    for (const kind of tables) {
      const { table, ddl } = TABLES[kind];
      if (ddl) await session.query(ddl);
      else await session.query('BEGIN');
      const count = async () =>
        Number((await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);
      const before = await count();
      const seconds = await session.copy(`COPY ${table} (${COLUMNS.join(', ')})`, csv);
      const loaded = (await count()) - before;
      await session.query(ddl ? `DROP TABLE ${table}` : 'ROLLBACK');
      if (loaded !== rows.count) throw new Error(`COPY into ${table} loaded ${loaded} of ${rows.count}`);
      results.push({
        table: kind,
        rows: rows.count,
        seconds,
        rowsPerSecond: rows.count / seconds,
        csvBytes,
        via: session.via,
      });
    }
    return results;
  } finally {
    await session.close();
  }
}

interface CopySession {
  via: string;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `<copy> FROM <source> WITH (FORMAT csv)`; returns the statement's wall time in s. */
  copy(copy: string, csv: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * `Database` does not expose its PGlite, so COPY opens the (closed) data directory with a PGlite of
 * its own, as database.ts does (ltree loaded), and feeds the CSV through PGlite's /dev/blob.
 */
async function pgliteSession(dataDir: string): Promise<CopySession> {
  const release = lockDataDir(dataDir);
  const pglite = await PGlite.create({ dataDir, extensions: { ltree } });
  return {
    via: "PGlite COPY … FROM '/dev/blob' (a Blob handed to the WASM backend)",
    query: async <T>(text: string, params?: unknown[]) => (await pglite.query<T>(text, params)).rows,
    async copy(copy, csv) {
      const blob = new Blob([csv]);
      const t = performance.now();
      await pglite.query(`${copy} FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob });
      return (performance.now() - t) / 1000;
    },
    async close() {
      await pglite.close();
      release();
    },
  };
}

/** Server-side COPY from a file: the server (on this machine, as user postgres) reads /tmp itself. */
async function serverSession(url: string): Promise<CopySession> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const file = `/tmp/gongjian-bench-${process.pid}-members.csv`;
  return {
    via: `server-side COPY … FROM '${file}' (read by the server process)`,
    query: async <T>(text: string, params?: unknown[]) =>
      (await client.query(text, params as unknown[])).rows as T[],
    async copy(copy, csv) {
      writeFileSync(file, csv);
      chmodSync(file, 0o644);
      try {
        const t = performance.now();
        await client.query(`${copy} FROM '${file}' WITH (FORMAT csv)`);
        return (performance.now() - t) / 1000;
      } finally {
        rmSync(file, { force: true });
      }
    },
    close: () => client.end(),
  };
}
