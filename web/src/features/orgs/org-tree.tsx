import { AimOutlined, ApartmentOutlined } from '@ant-design/icons';
import type { GetRef } from 'antd';
import { Button, Card, Flex, Grid, Input, List, Tag, Tree, Typography } from 'antd';
import { type Key, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  ancestorsBelow,
  type LazyTreeNode,
  type Org,
  useLazyOrgTree,
  useOrgSearch,
} from '../../components/org-picker';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../lib/i18n';

/** The tree's height: fixed (so the list is virtual and thousands of nodes stay smooth), fitting the window. */
const pickHeight = () => Math.max(320, Math.min(760, window.innerHeight - 240));
function useTreeHeight() {
  const [height, setHeight] = useState(pickHeight);
  useEffect(() => {
    const onResize = () => setHeight(pickHeight());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return height;
}

/** 组织: the organisation tree of my subtree, opened a level at a time; search finds any name. */
export default function OrgTree() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { root, treeData, loaded, loadChildren } = useLazyOrgTree();
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [highlight, setHighlight] = useState<number>();
  // The node the arrow keys are on: Enter opens its page (the tree's own Enter only expands).
  const active = useRef<Key | null>(null);
  const [q, setQ] = useState('');
  const found = useOrgSearch(q);
  const treeRef = useRef<GetRef<typeof Tree>>(null);
  const height = useTreeHeight();
  const wide = Grid.useBreakpoint().md ?? true;

  // The top of the tree starts open.
  const rootId = root.data?.id;
  useEffect(() => {
    if (rootId !== undefined) setExpanded((keys) => (keys.length ? keys : [rootId]));
  }, [rootId]);

  if (root.isPending) return <Loading />;
  if (root.isError) return <ErrorState error={root.error} onRetry={() => void root.refetch()} />;
  const top = root.data;

  /** Opens the tree down to a search result and scrolls to it. */
  const locate = async (org: Org) => {
    const path = ancestorsBelow(org.path, top.id);
    for (const id of path) if (!loaded.has(id)) await loadChildren(id);
    setExpanded((keys) => [...new Set([...keys, ...path])]);
    setHighlight(org.id);
    // After the opened levels render.
    setTimeout(() => treeRef.current?.scrollTo({ key: org.id, align: 'top', offset: 40 }), 50);
  };

  return (
    <>
      <PageHeader
        title={t('组织', 'Organisations')}
        subtitle={t(
          `${top.name} · 下级组织 ${top.childCount} 个`,
          `${top.name} · ${top.childCount} organisations directly below`,
        )}
        extra={
          <Link to={`/orgs/${top.id}`}>
            <ApartmentOutlined /> {t('本级组织概况', 'Overview of this level')}
          </Link>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <label htmlFor="org-search" style={{ display: 'block', marginBottom: 4 }}>
          {t('查找组织（名称或简称）', 'Find an organisation (name or short name)')}
        </label>
        <Input.Search
          id="org-search"
          allowClear
          placeholder={t('如：长寿村', 'e.g. 长寿村')}
          onSearch={(v) => setQ(v)}
          onChange={(e) => {
            if (!e.target.value) setQ('');
          }}
          enterButton={t('查找', 'Search')}
          loading={found.isFetching}
        />
        {q.trim() && (
          <div style={{ marginTop: 8 }}>
            {found.isError ? (
              <ErrorState error={found.error} onRetry={() => void found.refetch()} />
            ) : found.data && found.data.items.length === 0 ? (
              <EmptyState text={t('没有名称相符的组织', 'No organisation has that name')} />
            ) : (
              <List
                size="small"
                aria-label={t('查找结果', 'Search results')}
                dataSource={found.data?.items ?? []}
                footer={
                  found.data && found.data.total > found.data.items.length ? (
                    <Typography.Text type="secondary">
                      {t(
                        `共 ${found.data.total} 个，只列出前 ${found.data.items.length} 个，请输入更完整的名称`,
                        `${found.data.total} found; the first ${found.data.items.length} shown — type more of the name`,
                      )}
                    </Typography.Text>
                  ) : undefined
                }
                renderItem={(org) => (
                  <List.Item
                    actions={[
                      <Button
                        key="locate"
                        size="small"
                        icon={<AimOutlined />}
                        onClick={() => void locate(org)}
                        aria-label={t(`在树中定位 ${org.name}`, `Show ${org.name} in the tree`)}
                      >
                        {t('定位', 'Locate')}
                      </Button>,
                    ]}
                  >
                    <Flex wrap gap={4} align="center" style={{ minWidth: 0 }}>
                      <Link to={`/orgs/${org.id}`}>{org.name}</Link>
                      <Tag>{org.kindLabel}</Tag>
                    </Flex>
                  </List.Item>
                )}
              />
            )}
          </div>
        )}
      </Card>
      <Card
        size="small"
        title={t('组织树', 'Organisation tree')}
        extra={
          wide && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(
                '点击名称打开组织页，方向键浏览，回车打开',
                'Click a name to open it; arrow keys move, Enter opens',
              )}
            </Typography.Text>
          )
        }
        styles={{ body: { padding: 4 } }}
      >
        {/* Catches Enter from the focusable tree inside. */}
        <div
          onKeyDownCapture={(e) => {
            if (e.key === 'Enter' && active.current !== null) {
              e.preventDefault();
              e.stopPropagation();
              navigate(`/orgs/${active.current}`);
            }
          }}
        >
          <Tree<LazyTreeNode>
            ref={treeRef}
            aria-label={t('组织树', 'Organisation tree')}
            treeData={treeData}
            height={height}
            virtual
            blockNode
            showLine
            expandedKeys={expanded}
            onExpand={(keys) => setExpanded(keys)}
            loadedKeys={[...loaded]}
            loadData={async (node) => {
              if (!loaded.has(node.key)) await loadChildren(node.key);
            }}
            selectedKeys={highlight === undefined ? [] : [highlight]}
            onSelect={(_keys, info) => navigate(`/orgs/${info.node.key}`)}
            onActiveChange={(key) => {
              active.current = key;
            }}
            titleRender={(node) => (
              <span style={{ whiteSpace: 'nowrap' }}>
                <span>{node.org.shortName ?? node.org.name}</span>{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {node.org.kindLabel}
                  {node.org.childCount > 0 && ` · ${node.org.childCount}`}
                </Typography.Text>
                {node.org.status === 'closed' && (
                  <Tag color="default" style={{ marginInlineStart: 4 }}>
                    {t('已撤销', 'Closed')}
                  </Tag>
                )}
              </span>
            )}
          />
        </div>
      </Card>
    </>
  );
}
