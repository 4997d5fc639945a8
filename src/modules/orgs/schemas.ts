import { z } from 'zod';
import { codes, ORG_KINDS, SECTORS } from '../../domain/codes.ts';
import { Id, IsoDate, Paging } from '../shared-schemas.ts';

export const OrgKind = z.enum(codes(ORG_KINDS)).describe('组织类别 / kind');
export const Sector = z.enum(codes(SECTORS)).describe('领域 / sector');
const Name = z.string().trim().min(2, '名称至少2个字 / at least 2 characters').max(100);

export const Org = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: z.string(),
  kindLabel: z.string(),
  sector: z.string(),
  sectorLabel: z.string(),
  placeId: z.number().int().nullable(),
  status: z.enum(['active', 'closed']),
  closedOn: z.string().nullable(),
  closedReason: z.string().nullable(),
  path: z.string().describe('祖先路径（id以点分隔）/ ancestor path of ids'),
  depth: z.number().int(),
});

export const OrgCounts = z.object({
  childOrgs: z.number().int(),
  descendantOrgs: z.number().int(),
  committees: z.number().int().describe('下属基层党(工)委 / committees below'),
  branches: z.number().int().describe('党支部（含联合、临时）/ branches'),
  directMembers: z.number().int(),
  members: z.number().int().describe('本组织及下级的党员 / party members in the subtree'),
  households: z.number().int(),
});

export const OrgDetail = Org.extend({ counts: OrgCounts });

export type TreeNodeShape = z.infer<typeof Org> & { childCount: number; children: TreeNodeShape[] };
export const TreeNode: z.ZodType<TreeNodeShape> = Org.extend({
  childCount: z.number().int(),
  get children() {
    return z.array(TreeNode);
  },
});
// A recursive schema must be a named component in the OpenAPI document.
z.globalRegistry.add(TreeNode, { id: 'OrgTreeNode' });

export const OrgListQuery = z.strictObject({
  parent: Id.optional().describe('直属上级 / direct parent'),
  under: Id.optional().describe('某组织的整个下级（含自身）/ whole subtree of'),
  q: z.string().trim().max(50).optional().describe('名称或简称包含 / name contains'),
  kind: OrgKind.optional(),
  sector: Sector.optional(),
  status: z.enum(['active', 'closed', 'all']).default('active'),
  ...Paging,
});
export type OrgListQuery = z.infer<typeof OrgListQuery>;

export const TreeQuery = z.strictObject({
  root: Id.optional().describe('起点组织，默认县委 / start node, default the county root'),
  depth: z.coerce.number().int().min(0).max(6).default(2),
});

export const CreateOrgInput = z.strictObject({
  parentId: Id,
  name: Name,
  shortName: z.string().trim().min(1).max(50).optional(),
  kind: OrgKind,
  sector: Sector,
  placeId: Id.optional(),
});
export type CreateOrgInput = z.infer<typeof CreateOrgInput>;

export const UpdateOrgInput = z
  .strictObject({
    name: Name,
    shortName: z.string().trim().min(1).max(50).nullable(),
    kind: OrgKind,
    sector: Sector,
    placeId: Id.nullable(),
  })
  .partial();
export type UpdateOrgInput = z.infer<typeof UpdateOrgInput>;

export const MoveOrgInput = z.strictObject({ parentId: Id });
export const CloseOrgInput = z.strictObject({
  closedOn: IsoDate,
  reason: z.string().trim().min(2).max(500).describe('撤销原因 / reason'),
});
export type CloseOrgInput = z.infer<typeof CloseOrgInput>;
