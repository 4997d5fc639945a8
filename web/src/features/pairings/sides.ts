/** A side of a pairing in a few words: the person, else the organisation. */
export const sideName = (s: { name: string | null; orgName: string | null }) => s.name ?? s.orgName ?? '—';

/** A side with its organisation when it is a person: 王某（某村党支部）. */
export const sideWithOrg = (s: { name: string | null; orgName: string | null }) =>
  s.name && s.orgName && s.name !== s.orgName ? `${s.name}（${s.orgName}）` : sideName(s);
