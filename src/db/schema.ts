import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely's view of the tables in src/db/migrations. Dates are 'YYYY-MM-DD' strings. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Written by the database only (generated columns). */
type ReadOnly<T> = ColumnType<T, never, never>;

interface CodeTable {
  code: string;
  name_zh: string;
  name_en: string;
  sort: number;
}

export interface CountiesTable {
  id: Generated<number>;
  code: string;
  name: string;
  created_at: Timestamp;
}

export interface PlacesTable {
  county_id: number;
  id: Generated<number>;
  parent_id: number | null;
  kind: string;
  name: string;
  path: string;
  created_at: Timestamp;
}

export interface OrgsTable {
  county_id: number;
  id: Generated<number>;
  parent_id: number | null;
  name: string;
  short_name: string | null;
  kind: string;
  sector: string;
  place_id: number | null;
  status: Generated<'active' | 'closed'>;
  closed_on: string | null;
  closed_reason: string | null;
  path: string;
  depth: ReadOnly<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembersTable {
  county_id: number;
  id: Generated<number>;
  org_id: number;
  name: string;
  gender: 'male' | 'female';
  ethnicity: Generated<string>;
  birth_date: string;
  id_number: string;
  phone: string | null;
  education: string | null;
  address: string | null;
  category: Generated<string>;
  is_party_member: ReadOnly<boolean>;
  status: Generated<string>;
  join_date: string | null;
  full_member_date: string | null;
  occupation: string | null;
  is_needy: Generated<boolean>;
  mobile_to: string | null;
  leader_rank: string | null;
  leader_unit: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HouseholdsTable {
  county_id: number;
  id: Generated<number>;
  org_id: number;
  village_id: number;
  group_id: number | null;
  head_name: string;
  head_id_number: string | null;
  phone: string | null;
  size: Generated<number>;
  category: string;
  address: string | null;
  notes: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DB
  extends AccessTables,
    PairingsTables,
    CountyCountsTables,
    InspectionsTables,
    StoredFilesTables {
  org_kinds: CodeTable;
  sectors: CodeTable;
  place_kinds: Omit<CodeTable, 'sort'> & { level: number };
  education_levels: CodeTable;
  member_categories: CodeTable & { is_member: boolean };
  member_statuses: CodeTable;
  leader_ranks: CodeTable;
  household_categories: CodeTable & { is_needy: boolean };
  counties: CountiesTable;
  places: PlacesTable;
  orgs: OrgsTable;
  members: MembersTable;
  households: HouseholdsTable;
}

export type County = Selectable<CountiesTable>;
export type PlaceRow = Selectable<PlacesTable>;
export type OrgRow = Selectable<OrgsTable>;
export type NewOrgRow = Insertable<OrgsTable>;
export type OrgUpdate = Updateable<OrgsTable>;
export type MemberRow = Selectable<MembersTable>;
export type NewMemberRow = Insertable<MembersTable>;
export type MemberUpdate = Updateable<MembersTable>;
export type HouseholdRow = Selectable<HouseholdsTable>;
export type NewHouseholdRow = Insertable<HouseholdsTable>;

export interface UsersTable {
  county_id: number;
  id: Generated<number>;
  org_id: number;
  member_id: number | null;
  username: string;
  display_name: string;
  phone: string | null;
  role: string;
  password_hash: string;
  must_change_password: Generated<boolean>;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: number | null;
  failed_attempts: Generated<number>;
  locked_until: Date | null;
  status: Generated<'active' | 'disabled'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  county_id: number;
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface PasswordResetTokensTable {
  county_id: number;
  token_hash: string;
  user_id: number;
  expires_at: Date;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface AuditLogTable {
  county_id: number;
  id: Generated<number>;
  at: Timestamp;
  user_id: number | null;
  username: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  result: 'ok' | 'denied' | 'failed';
  ip: string | null;
  details: ColumnType<unknown, string | null, string | null>;
  /** Migration 0011: the record's place in its county's hash chain and its hash, set by the trigger only. */
  chain_seq: ColumnType<number, never, never>;
  hash: ColumnType<Uint8Array, never, never>;
}

export interface AccessTables {
  roles: CodeTable;
  users: UsersTable;
  sessions: SessionsTable;
  password_reset_tokens: PasswordResetTokensTable;
  audit_log: AuditLogTable;
}
export type UserRow = Selectable<UsersTable>;

// Migration 0003: pairings, visits, plans, notices, card and register.
export interface PairingsTable {
  county_id: number;
  id: Generated<number>;
  kind: string;
  formation: Generated<string>;
  year_from: number;
  year_to: number;
  started_on: string;
  ended_on: string | null;
  helper_member_id: number | null;
  helper_org_id: number;
  helped_org_id: number;
  helped_member_id: number | null;
  helped_household_id: number | null;
  helped_place_id: number | null;
  responsible_member_id: number | null;
  obligations: Generated<string[]>;
  title: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VisitsTable {
  county_id: number;
  id: Generated<number>;
  visited_on: string;
  kind: string;
  sub_kind: string | null;
  content: string;
  problems_found: string | null;
  problems_solved: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The phone draft's own reference: a second send of it returns the saved visit (migration 0010). */
  client_ref: Generated<string | null>;
}

export interface PairingsTables {
  quota_rules: {
    county_id: number;
    kind: string;
    rule: ColumnType<unknown, string, string>;
    updated_at: Timestamp;
    updated_by: number | null;
  };
  pairings: PairingsTable;
  visits: VisitsTable;
  visit_pairings: { county_id: number; visit_id: number; pairing_id: number };
  visit_participants: { county_id: number; visit_id: number; member_id: number };
  visit_outcomes: {
    county_id: number;
    visit_id: number;
    unit: string;
    amount: ColumnType<string, string | number, string | number>;
    note: string | null;
  };
  visit_photos: {
    county_id: number;
    id: Generated<number>;
    visit_id: number;
    stored_name: string;
    mime: string;
    size: number;
    created_at: Timestamp;
  };
  pairing_visit_counts: {
    county_id: number;
    pairing_id: number;
    year: number;
    month: number;
    kind: string;
    visits: number;
  };
  plans: {
    county_id: number;
    id: Generated<number>;
    pairing_id: number;
    year: number;
    title: string;
    content: string;
    status: Generated<'draft' | 'submitted' | 'reviewed' | 'approved' | 'in_notice' | 'in_force'>;
    version: Generated<number>;
    notice_days: Generated<number>;
    notice_starts_on: string | null;
    notice_ends_on: string | null;
    in_force_on: string | null;
    last_return_reason: string | null;
    created_by: number | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  plan_tasks: {
    county_id: number;
    id: Generated<number>;
    plan_id: number;
    seq: number;
    what: string;
    target: string | null;
    due_on: string | null;
  };
  plan_events: {
    county_id: number;
    id: Generated<number>;
    plan_id: number;
    at: Timestamp;
    user_id: number | null;
    user_name: string | null;
    action: string;
    from_status: string | null;
    to_status: string;
    reason: string | null;
    snapshot: ColumnType<unknown, string | null, string | null>;
  };
  notices: {
    county_id: number;
    id: Generated<number>;
    plan_id: number;
    org_id: number;
    title: string;
    body: ColumnType<unknown, string, string>;
    starts_on: string;
    ends_on: string;
    created_at: Timestamp;
  };
  notice_feedback: {
    county_id: number;
    id: Generated<number>;
    notice_id: number;
    content: string;
    contact: string | null;
    address_hash: string | null;
    created_at: Timestamp;
    answer: string | null;
    answered_by: number | null;
    answered_at: Date | null;
    answer_published: Generated<boolean>;
    published_content: string | null;
    published_answer: string | null;
  };
  task_checks: {
    county_id: number;
    id: Generated<number>;
    task_id: number;
    status: string;
    comment: string | null;
    checked_by: number | null;
    checked_at: Timestamp;
  };
  signoffs: {
    county_id: number;
    pairing_id: number;
    year: number;
    party: 'helped' | 'helped_branch';
    opinion: string;
    comment: string | null;
    recorded_by: number | null;
    on_behalf: Generated<boolean>;
    recorded_at: Timestamp;
    amended_reason: string | null;
  };
}

export interface CountyCountsTables {
  county_visit_counts: {
    county_id: number;
    year: number;
    month: number;
    pairing_kind: string;
    visit_kind: string;
    visits: number;
  };
}

/** 督查: check rounds, checks and rectifications (migration 0007). Dates are YYYY-MM-DD strings. */
export interface InspectionsTables {
  inspection_rounds: {
    county_id: number;
    id: Generated<number>;
    year: number;
    quarter: number;
    title: string;
    org_id: number;
    due_on: string | null;
    created_by: number | null;
    created_by_name: string | null;
    created_at: Generated<Timestamp>;
  };
  inspections: {
    county_id: number;
    id: Generated<number>;
    round_id: number | null;
    pairing_id: number | null;
    org_id: number;
    status: Generated<'planned' | 'done'>;
    assigned_to: number | null;
    assigned_to_name: string | null;
    method: 'phone' | 'on_site' | 'records' | null;
    checked_on: string | null;
    checked_by: number | null;
    checked_by_name: string | null;
    conclusion: 'good' | 'fair' | 'problems' | null;
    findings: string | null;
    created_at: Generated<Timestamp>;
    updated_at: Generated<Timestamp>;
  };
  rectifications: {
    county_id: number;
    id: Generated<number>;
    inspection_id: number;
    problem: string;
    owner_org_id: number;
    owner_user_id: number | null;
    owner_name: string | null;
    due_on: string;
    status: Generated<'open' | 'closed'>;
    evidence: string | null;
    closed_on: string | null;
    closed_by: number | null;
    closed_by_name: string | null;
    created_at: Generated<Timestamp>;
  };
}

/** Files kept in the database: visit photos and finished ledger exports (migration 0013). */
export interface StoredFilesTables {
  stored_files: {
    county_id: number;
    id: string;
    purpose: 'visit_photo' | 'ledger_export';
    visit_id: number | null;
    owner_user_id: number | null;
    file_name: string | null;
    content_type: string;
    size: number;
    sha256: string;
    /** A Buffer from the server driver, a Uint8Array from the embedded one. */
    content: Uint8Array;
    meta: unknown;
    created_at: Generated<Timestamp>;
    expires_at: Timestamp | null;
  };
}
