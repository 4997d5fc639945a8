import { z } from 'zod';
import { codes, PLACE_KINDS } from '../../domain/codes.ts';
import { Id, Paging } from '../shared-schemas.ts';

export const PlaceKind = z.enum(codes(PLACE_KINDS)).describe('县/镇/乡/街道/行政村/社区/村民小组');

export const Place = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  kind: z.string(),
  kindLabel: z.string(),
  name: z.string(),
  path: z.string(),
});

export const PlaceListQuery = z.strictObject({
  parent: Id.optional(),
  under: Id.optional().describe('某地点之下（含自身）/ within a place'),
  kind: PlaceKind.optional(),
  q: z.string().trim().max(50).optional(),
  ...Paging,
});
export type PlaceListQuery = z.infer<typeof PlaceListQuery>;

export const CreatePlaceInput = z.strictObject({
  parentId: Id,
  kind: PlaceKind,
  name: z.string().trim().min(1).max(50),
});
export type CreatePlaceInput = z.infer<typeof CreatePlaceInput>;
