import { queryOptions, useQuery } from '@tanstack/react-query';
import { fetchOrg, fetchOrgLevel, orgKey, orgTreeKey } from '../../../components/org-picker';

/** One organisation with its counts: GET /api/orgs/:id. */
export const orgQuery = (id: number) => queryOptions({ queryKey: orgKey(id), queryFn: () => fetchOrg(id) });
export const useOrg = (id: number, enabled = true) =>
  useQuery({ ...orgQuery(id), enabled: enabled && id > 0 });

/** Its direct children (the tree one level down). */
export const useOrgChildren = (id: number) =>
  useQuery({ queryKey: orgTreeKey(id), queryFn: () => fetchOrgLevel(id) });
