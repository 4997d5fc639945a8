import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ROLE_LABELS, type Role } from '../../domain/access.ts';
import { createAccountWithPassword, oneTimePassword } from './service.ts';

export interface DemoAccount {
  username: string;
  role: Role;
  roleLabel: string;
  orgName: string;
  password: string;
}

/**
 * One account per role in the demo county, for trying the platform: a county administrator and
 * an auditor at the county, a township organiser, a village branch's secretary and one of its
 * members who helps a needy member, and a county leader with a contact point in that township. Passwords are random unless GONGJIAN_DEMO_PASSWORD fixes them (browser tests).
 */
export async function createDemoAccounts(
  db: Kysely<DB>,
  countyId: number,
  fixedPassword?: string,
): Promise<DemoAccount[]> {
  const root = await db
    .selectFrom('orgs')
    .select(['id', 'name'])
    .where('county_id', '=', countyId)
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  const township = await db
    .selectFrom('orgs')
    .select(['id', 'name', 'path'])
    .where('county_id', '=', countyId)
    .where('parent_id', '=', root.id)
    .where('place_id', 'is not', null)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const village = await db
    .selectFrom('orgs')
    .select(['id', 'name'])
    .where('county_id', '=', countyId)
    .where('parent_id', '=', township.id)
    .where('sector', '=', 'rural')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const [secretary, firstMember] = await db
    .selectFrom('members')
    .select(['id', 'name'])
    .where('county_id', '=', countyId)
    .where('org_id', '=', village.id)
    .where('is_party_member', '=', true)
    .orderBy('id')
    .limit(2)
    .execute();
  // The member helps a needy member or household of the village (党员联帮), so has visits to log.
  const helper = await db
    .selectFrom('pairings as p')
    .innerJoin('members as m', (j) =>
      j.onRef('m.county_id', '=', 'p.county_id').onRef('m.id', '=', 'p.helper_member_id'),
    )
    .select(['m.id', 'm.name'])
    .where('p.county_id', '=', countyId)
    .where('p.helper_org_id', '=', village.id)
    .where('p.kind', '=', 'member_assist')
    .where('m.id', '!=', secretary?.id ?? -1)
    .orderBy('m.id')
    .executeTakeFirst();
  const member = helper ?? firstMember;
  // A county leader with a contact point in the township (领导联点), for logging visits on a phone.
  const leader = await db
    .selectFrom('pairings as p')
    .innerJoin('members as m', (j) =>
      j.onRef('m.county_id', '=', 'p.county_id').onRef('m.id', '=', 'p.helper_member_id'),
    )
    .innerJoin('orgs as o', (j) =>
      j.onRef('o.county_id', '=', 'p.county_id').onRef('o.id', '=', 'p.helped_org_id'),
    )
    .innerJoin('orgs as ho', (j) =>
      j.onRef('ho.county_id', '=', 'p.county_id').onRef('ho.id', '=', 'p.helper_org_id'),
    )
    .select(['m.id', 'm.name', 'ho.id as org_id', 'ho.name as org_name'])
    .where('p.county_id', '=', countyId)
    .where('p.kind', '=', 'leader_contact')
    .where(sql<boolean>`o.path <@ ${township.path}::ltree`)
    .orderBy('p.id')
    .executeTakeFirst();
  const plan: {
    username: string;
    role: Role;
    org: { id: number; name: string };
    memberId?: number;
    name: string;
  }[] = [
    { username: 'admin', role: 'county_admin', org: root, name: '组织部管理员' },
    { username: 'shenji', role: 'auditor', org: root, name: '审计员' },
    { username: 'zhen', role: 'committee_staff', org: township, name: `${township.name}组织委员` },
    {
      username: 'shuji',
      role: 'branch_secretary',
      org: village,
      memberId: secretary?.id,
      name: secretary?.name ?? '支部书记',
    },
    {
      username: 'dangyuan',
      role: 'member',
      org: village,
      memberId: member?.id,
      name: member?.name ?? '党员',
    },
    ...(leader
      ? [
          {
            username: 'lingdao',
            role: 'member' as const,
            org: { id: leader.org_id, name: leader.org_name },
            memberId: leader.id,
            name: leader.name,
          },
        ]
      : []),
  ];
  const accounts: DemoAccount[] = [];
  for (const p of plan) {
    const password = fixedPassword ?? `${oneTimePassword(12)}-${new Date().getFullYear()}`;
    await createAccountWithPassword(
      db,
      countyId,
      {
        username: p.username,
        displayName: p.name,
        orgId: p.org.id,
        memberId: p.memberId ?? null,
        role: p.role,
      },
      password,
    );
    accounts.push({
      username: p.username,
      role: p.role,
      roleLabel: ROLE_LABELS[p.role].zh,
      orgName: p.org.name,
      password,
    });
  }
  return accounts;
}

export function formatDemoAccounts(accounts: DemoAccount[]): string {
  return [
    '演示账号（密码只显示这一次，请妥善保存）/ demo accounts (passwords are shown only once):',
    ...accounts.map(
      (a) => `  ${a.username.padEnd(9)} ${a.password.padEnd(22)} ${a.roleLabel}（${a.orgName}）`,
    ),
  ].join('\n');
}
