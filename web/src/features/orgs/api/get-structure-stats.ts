import { queryOptions, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { StructureStats as Schema } from '../../../../../src/modules/stats/schemas.ts';
import { api } from '../../../lib/api';

export type StructureStats = z.infer<typeof Schema>;
export type Bucket = StructureStats['members']['byGender'][number];

/** Structure statistics of a subtree: GET /api/stats/structure?org=…. */
export const getStructureStats = (org: number) => api.get<StructureStats>('/api/stats/structure', { org });

export const structureStatsQuery = (org: number) =>
  queryOptions({ queryKey: ['stats', 'structure', org], queryFn: () => getStructureStats(org) });

export const useStructureStats = (org: number, enabled = true) =>
  useQuery({ ...structureStatsQuery(org), enabled });
