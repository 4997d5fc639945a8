import { EDUCATION_LEVELS, labelOf, MEMBER_CATEGORIES, MEMBER_STATUSES } from '../../domain/codes.ts';
import { todayIso } from '../../domain/dates.ts';
import { maskAddress, maskIdNumber, maskPhone } from '../../domain/masking.ts';
import { ageOn, isVeteranMember } from '../../domain/structure.ts';
import type { MemberRepoRow } from './repository.ts';

/** A member as the API shows it: ID number, phone and home address masked on the server, labels beside codes. */
export function presentMember(m: MemberRepoRow, today = todayIso()) {
  return {
    id: m.id,
    orgId: m.org_id,
    orgName: m.org_name,
    name: m.name,
    gender: m.gender,
    ethnicity: m.ethnicity,
    birthDate: m.birth_date,
    age: ageOn(m.birth_date, today),
    idNumber: maskIdNumber(m.id_number)!,
    phone: maskPhone(m.phone),
    education: m.education,
    educationLabel: labelOf(EDUCATION_LEVELS, m.education),
    address: maskAddress(m.address),
    category: m.category,
    categoryLabel: labelOf(MEMBER_CATEGORIES, m.category),
    isPartyMember: m.is_party_member,
    status: m.status,
    statusLabel: labelOf(MEMBER_STATUSES, m.status),
    joinDate: m.join_date,
    fullMemberDate: m.full_member_date,
    occupation: m.occupation,
    isNeedy: m.is_needy,
    isVeteran: isVeteranMember(m.join_date, today),
    mobileTo: m.mobile_to,
    leaderRank: m.leader_rank,
    leaderUnit: m.leader_unit,
  };
}
