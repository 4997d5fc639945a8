import { reserveIds } from '../../db/ids.ts';
import { labelOf, PLACE_KINDS, PLACE_PARENT, type PlaceKind } from '../../domain/codes.ts';
import { pathOf } from '../../domain/tree.ts';
import { conflict, invalid, notFound, unknownRef } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type ServiceContext, withTransaction } from '../context.ts';
import * as repo from './repository.ts';

type PlaceRow = NonNullable<Awaited<ReturnType<typeof repo.findPlace>>>;
export const presentPlace = (p: PlaceRow) => ({
  id: p.id,
  parentId: p.parent_id,
  kind: p.kind,
  kindLabel: labelOf(PLACE_KINDS, p.kind),
  name: p.name,
  path: p.path,
});

import type { CreatePlaceInput, PlaceListQuery } from './schemas.ts';

export async function getPlace(ctx: ServiceContext, id: number) {
  const place = await repo.findPlace(ctx.db, ctx.countyId, id);
  if (!place) throw notFound('地点', 'Place');
  return presentPlace(place);
}

export async function listPlaces(ctx: ServiceContext, query: PlaceListQuery) {
  const underPath = query.under === undefined ? undefined : (await getPlace(ctx, query.under)).path;
  const { items, total } = await repo.listPlaces(ctx.db, ctx.countyId, {
    parentId: query.parent,
    underPath,
    kind: query.kind,
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: items.map(presentPlace), total, page: query.page, pageSize: query.pageSize };
}

/** A place sits under the level above it: county → 镇/乡/街道 → 行政村/社区 → 村民小组. */
export async function createPlace(ctx: ServiceContext, input: CreatePlaceInput) {
  return withTransaction(ctx.db, async (trx) => {
    const parent = await repo.findPlaceInReach(trx, ctx.countyId, input.parentId);
    if (!parent) throw unknownRef('parentId', '上级地点', 'the parent place');
    if (!PLACE_PARENT[input.kind].includes(parent.kind as PlaceKind)) {
      throw invalid(
        'kind',
        `${labelOf(PLACE_KINDS, input.kind)}不能设在${labelOf(PLACE_KINDS, parent.kind)}之下`,
        `a ${input.kind} cannot sit under a ${parent.kind}`,
      );
    }
    if (await repo.placeNameTaken(trx, ctx.countyId, parent.id, input.name)) {
      throw conflict(
        `${parent.name}下已有“${input.name}”`,
        `"${input.name}" already exists under ${parent.name}`,
        'name',
      );
    }
    const [id] = await reserveIds(trx, 'places', 1);
    const created = await repo.insertPlace(trx, {
      county_id: ctx.countyId,
      id: id!,
      parent_id: parent.id,
      kind: input.kind,
      name: input.name,
      path: pathOf(parent.path, id!),
    });
    await recordAudit(
      { ...ctx, db: trx },
      { action: 'place.create', targetType: 'place', targetId: created.id },
    );
    return presentPlace(created);
  });
}
