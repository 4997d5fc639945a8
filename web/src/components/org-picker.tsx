import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import type { z } from 'zod';
import type {
  OrgDetail as OrgDetailSchema,
  Org as OrgSchema,
  TreeNodeShape,
} from '../../../src/modules/orgs/schemas.ts';
import { api, type Page } from '../lib/api';
import { useI18n } from '../lib/i18n';

/**
 * The organisation tree, loaded a level at a time (GET /api/orgs/tree?root=…&depth=1), so a county of
 * thousands of branches never arrives at once; and the search by name (GET /api/orgs?q=…) that finds
 * an organisation below nodes not yet opened. Shared by the tree screen and every organisation picker.
 */
export type Org = z.infer<typeof OrgSchema>;
export type OrgNode = TreeNodeShape;

export const orgTreeKey = (root: number | undefined) => ['orgs', 'tree', root ?? 'mine'] as const;
export const fetchOrgLevel = (root?: number) => api.get<OrgNode>('/api/orgs/tree', { root, depth: 1 });

/** One organisation with its counts (GET /api/orgs/:id). */
export type OrgDetail = z.infer<typeof OrgDetailSchema>;
export const orgKey = (id: number) => ['orgs', 'detail', id] as const;
export const fetchOrg = (id: number) => api.get<OrgDetail>(`/api/orgs/${id}`);

export interface LazyTreeNode {
  key: number;
  org: OrgNode;
  isLeaf: boolean;
  children?: LazyTreeNode[];
}

/** The ids of an organisation's ancestors from `rootId` down (both excluded), read from its path. */
export const ancestorsBelow = (path: string, rootId: number): number[] => {
  const ids = path.split('.').map(Number);
  const from = ids.indexOf(rootId);
  return from < 0 ? [] : ids.slice(from, -1);
};

export function useLazyOrgTree() {
  const qc = useQueryClient();
  const root = useQuery({ queryKey: orgTreeKey(undefined), queryFn: () => fetchOrgLevel() });
  const [children, setChildren] = useState<ReadonlyMap<number, OrgNode[]>>(new Map());

  const loadChildren = useCallback(
    async (id: number) => {
      const node = await qc.fetchQuery({
        queryKey: orgTreeKey(id),
        queryFn: () => fetchOrgLevel(id),
        staleTime: 60_000,
      });
      setChildren((prev) => new Map(prev).set(id, node.children));
      return node.children;
    },
    [qc],
  );

  const treeData = useMemo<LazyTreeNode[]>(() => {
    if (!root.data) return [];
    const build = (org: OrgNode, kids: OrgNode[] | undefined): LazyTreeNode => ({
      key: org.id,
      org,
      isLeaf: org.childCount === 0,
      children: kids?.map((k) => build(k, children.get(k.id))),
    });
    const top = root.data;
    return [build(top, children.get(top.id) ?? (top.children.length ? top.children : undefined))];
  }, [root.data, children]);

  const loaded = useMemo(() => {
    const keys = new Set<number>(children.keys());
    if (root.data?.children.length) keys.add(root.data.id);
    return keys;
  }, [children, root.data]);

  return { root, treeData, loaded, loadChildren };
}

export function useOrgSearch(q: string, pageSize = 20) {
  const text = q.trim();
  return useQuery({
    queryKey: ['orgs', 'search', text, pageSize],
    queryFn: () => api.get<Page<Org>>('/api/orgs', { q: text, pageSize }),
    enabled: text.length > 0,
    placeholderData: keepPreviousData,
  });
}

interface PickerNode {
  value: number;
  title: ReactNode;
  label: string;
  isLeaf: boolean;
  children?: PickerNode[];
}

/**
 * Picks one organisation (with its subtree, where the caller filters by subtree): browse the tree
 * level by level, or type part of a name to search the whole county.
 */
export function OrgPicker({
  value,
  onChange,
  placeholder,
  id,
  allowClear = true,
  style,
  ...aria
}: {
  value?: number;
  onChange?: (value: number | undefined) => void;
  placeholder?: string;
  id?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'aria-label'?: string;
}) {
  const { t } = useI18n();
  const { treeData, loadChildren } = useLazyOrgTree();
  const [search, setSearch] = useState('');
  const found = useOrgSearch(search);
  const [labels, setLabels] = useState<ReadonlyMap<number, string>>(new Map());

  const data = useMemo<PickerNode[]>(() => {
    if (search.trim()) {
      return (found.data?.items ?? []).map((o) => ({
        value: o.id,
        label: o.shortName ?? o.name,
        title: o.name,
        isLeaf: true,
      }));
    }
    const convert = (n: LazyTreeNode): PickerNode => ({
      value: n.key,
      label: n.org.shortName ?? n.org.name,
      title: n.org.shortName ?? n.org.name,
      isLeaf: n.isLeaf,
      children: n.children?.map(convert),
    });
    return treeData.map(convert);
  }, [search, found.data, treeData]);

  // The label of a value picked from search results stays once the search is cleared; a value that
  // came with the page (a link, the address bar) is named by the server.
  const known = value === undefined ? undefined : (labels.get(value) ?? findLabel(data, value));
  const named = useQuery({
    queryKey: orgKey(value ?? 0),
    queryFn: () => fetchOrg(value ?? 0),
    enabled: value !== undefined && known === undefined,
  });
  const selected =
    value === undefined
      ? undefined
      : { value, label: known ?? named.data?.shortName ?? named.data?.name ?? `#${value}` };

  return (
    <TreeSelect<{ value: number; label: ReactNode } | undefined, PickerNode>
      id={id}
      aria-label={aria['aria-label']}
      style={{ width: '100%', ...style }}
      labelInValue
      value={selected}
      treeData={data}
      treeNodeLabelProp="label"
      loadData={async (node) => {
        if (!search.trim()) await loadChildren(Number(node.value));
      }}
      showSearch={{
        searchValue: search,
        onSearch: setSearch,
        filterTreeNode: false,
        autoClearSearchValue: true,
      }}
      notFoundContent={
        search.trim() && found.isFetching ? t('正在查找…', 'Searching…') : t('没有找到', 'Nothing found')
      }
      allowClear={allowClear}
      placeholder={placeholder ?? t('选择组织（可输入名称查找）', 'Pick an organisation (type to search)')}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxWidth: 'calc(100vw - 24px)' } } }}
      listHeight={320}
      onChange={(v) => {
        setSearch('');
        if (!v) return onChange?.(undefined);
        const label = typeof v.label === 'string' ? v.label : (findLabel(data, v.value) ?? `#${v.value}`);
        setLabels((prev) => new Map(prev).set(v.value, label));
        onChange?.(v.value);
      }}
    />
  );
}

function findLabel(nodes: PickerNode[] | undefined, value: number): string | undefined {
  for (const n of nodes ?? []) {
    if (n.value === value) return n.label;
    const inner = findLabel(n.children, value);
    if (inner) return inner;
  }
  return undefined;
}
