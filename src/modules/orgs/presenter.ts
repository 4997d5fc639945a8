import { labelOf, ORG_KINDS, SECTORS } from '../../domain/codes.ts';
import type { OrgRepoRow } from './repository.ts';

/** The JSON shape of an organisation, with Chinese labels beside the codes. */
export const presentOrg = (o: OrgRepoRow) => ({
  id: o.id,
  parentId: o.parent_id,
  name: o.name,
  shortName: o.short_name,
  kind: o.kind,
  kindLabel: labelOf(ORG_KINDS, o.kind),
  sector: o.sector,
  sectorLabel: labelOf(SECTORS, o.sector),
  placeId: o.place_id,
  status: o.status,
  closedOn: o.closed_on,
  closedReason: o.closed_reason,
  path: o.path,
  depth: o.depth,
});
