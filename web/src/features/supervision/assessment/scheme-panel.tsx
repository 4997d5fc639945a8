import { CheckCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Grid, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Indicator } from '../../../../../src/domain/assessment.ts';
import { EmptyState, ErrorState, Loading } from '../../../components/states';
import { api, isApiError } from '../../../lib/api';
import { useCan } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';
import { KEYS, type Scheme, useSchemes } from './api';
import { bandColor, bandRange, describeIndicator, indicatorScope, methodLabel } from './describe';
import { SchemeForm } from './scheme-form';

/** The bands as the county defined them, each with its range. */
export function BandTags({ scheme }: { scheme: Scheme }) {
  const { lang } = useI18n();
  const bands = scheme.content.bands;
  return (
    <Flex wrap gap={8}>
      {bands.map((b, i) => (
        <Tag key={b.code} color={bandColor(bands, b.code)} style={{ marginInlineEnd: 0, fontSize: 13 }}>
          {lang === 'en' ? b.en : b.zh} · {bandRange(bands, i, lang)}
        </Tag>
      ))}
    </Flex>
  );
}

function SchemeView({ scheme }: { scheme: Scheme }) {
  const { t, lang } = useI18n();
  const screens = Grid.useBreakpoint();
  const c = scheme.content;
  const name = (i: Indicator) => (lang === 'en' ? i.en : i.zh);
  const method = (i: Indicator) =>
    methodLabel(i.method, lang) !== name(i) ? (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {methodLabel(i.method, lang)}
      </Typography.Text>
    ) : null;
  const total = c.indicators.reduce((s, i) => s + i.weight, 0);
  const rule = t(
    '结对得分为适用指标的加权平均（一位小数），等次按得分确定',
    'A pairing scores the weighted mean of the indicators that apply (one decimal); its band follows from it',
  );
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {t(`第${scheme.version}版`, `Version ${scheme.version}`)} ·{' '}
        {t(
          `${scheme.createdByName ?? ''}制定于${formatDateTime(scheme.createdAt)}`,
          `by ${scheme.createdByName ?? ''}, ${formatDateTime(scheme.createdAt)}`,
        )}
        {scheme.note ? ` · ${scheme.note}` : ''}
      </Typography.Text>
      {screens.md === false ? (
        // On a phone: one block per indicator, nothing to scroll sideways.
        <div>
          <ul aria-label={t('考评指标', 'Indicators')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {c.indicators.map((i) => (
              <li key={i.code} style={{ borderBottom: '1px solid #f0f0f0', padding: '8px 0' }}>
                <Flex justify="space-between" gap={8}>
                  <div>
                    <Typography.Text strong>{name(i)}</Typography.Text>
                    <div>{method(i)}</div>
                  </div>
                  <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
                    {t(`权重 ${i.weight}`, `Weight ${i.weight}`)}
                  </Typography.Text>
                </Flex>
                <div style={{ fontSize: 13, marginTop: 4 }}>{describeIndicator(i, lang)}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {indicatorScope(i, lang)}
                </Typography.Text>
              </li>
            ))}
          </ul>
          <Typography.Paragraph style={{ margin: '8px 0 0' }}>
            <Typography.Text strong>{t(`权重合计 ${total}`, `Weights total ${total}`)}</Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {rule}
            </Typography.Text>
          </Typography.Paragraph>
        </div>
      ) : (
        <Table<Indicator>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={c.indicators}
          columns={[
            {
              title: t('考评指标', 'Indicator'),
              width: 170,
              render: (_, i) => (
                <>
                  <div>{name(i)}</div>
                  {method(i)}
                </>
              ),
            },
            {
              title: t('权重', 'Weight'),
              dataIndex: 'weight',
              width: 70,
              align: 'right',
              render: (w: number) => <Typography.Text strong>{w}</Typography.Text>,
            },
            {
              title: t('计分办法', 'How it is scored'),
              render: (_, i) => <span style={{ fontSize: 13 }}>{describeIndicator(i, lang)}</span>,
            },
            {
              title: t('无记录时', 'No records'),
              width: 150,
              render: (_, i) => <span style={{ fontSize: 12 }}>{indicatorScope(i, lang)}</span>,
            },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t('合计', 'Total')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <Typography.Text strong>{total}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} colSpan={2}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {rule}
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      )}
      <div>
        <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
          {t('考评等次', 'Bands')}
        </Typography.Text>
        <BandTags scheme={scheme} />
        {c.minCoverage ? (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '6px 0 0' }}>
            {t(
              `计分指标权重合计低于${c.minCoverage}的结对不评定等次（记录不足）`,
              `Pairings scored on less than ${c.minCoverage} of the weights get no band (too few records)`,
            )}
          </Typography.Paragraph>
        ) : null}
      </div>
    </Space>
  );
}

/** 考评方案: the year's active scheme, its versions, and (assessment.manage) a new version and activation. */
export function SchemePanel({ year }: { year: number }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const manage = can('assessment.manage');
  const schemes = useSchemes(year);
  const [editing, setEditing] = useState<{ open: boolean; base: Scheme | null }>({ open: false, base: null });
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [activating, setActivating] = useState<number>();

  if (schemes.isPending) return <Loading />;
  if (schemes.error) return <ErrorState error={schemes.error} onRetry={() => void schemes.refetch()} />;
  const list = [...schemes.data].sort((a, b) => b.version - a.version);
  const active = list.find((s) => s.active) ?? null;

  const activate = async (s: Scheme) => {
    setActivating(s.id);
    try {
      await api.post(`/api/assessment/schemes/${s.id}/activate`);
      message.success(t(`第${s.version}版已启用`, `Version ${s.version} is active`));
      await qc.invalidateQueries({ queryKey: KEYS.schemes(year) });
    } catch (e) {
      message.error(isApiError(e) ? e.text(lang) : t('启用失败', 'Could not activate'));
    } finally {
      setActivating(undefined);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          active ? (
            <Space wrap size={4} style={{ whiteSpace: 'normal' }}>
              <span>{active.title}</span>
              <Tag color="success" icon={<CheckCircleOutlined />}>
                {t('启用中', 'Active')}
              </Tag>
            </Space>
          ) : (
            t(`${year}年度考评方案`, `The ${year} scheme`)
          )
        }
        extra={
          manage ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ open: true, base: active ?? list[0] ?? null })}
            >
              {active ? t('新建版本', 'New version') : t('制定方案', 'New scheme')}
            </Button>
          ) : null
        }
        styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 } }}
      >
        {active ? (
          <SchemeView scheme={active} />
        ) : (
          <Empty
            description={
              list.length
                ? t('本年度方案尚未启用', "No version of this year's scheme is active")
                : t('本年度还没有考评方案', 'No scheme for this year yet')
            }
          />
        )}
      </Card>
      <Card size="small" title={t('各版本', 'Versions')}>
        {list.length === 0 ? (
          <EmptyState text={t('暂无版本', 'No versions yet')} />
        ) : (
          <Table<Scheme>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={list}
            columns={[
              {
                title: t('版本', 'Version'),
                width: 72,
                render: (_, s) => t(`第${s.version}版`, `v${s.version}`),
              },
              {
                title: t('方案名称', 'Title'),
                render: (_, s) => (
                  <>
                    <div>{s.title}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {s.createdByName} {formatDateTime(s.createdAt)}
                      {s.note ? ` · ${s.note}` : ''}
                    </Typography.Text>
                  </>
                ),
              },
              {
                title: t('状态', 'State'),
                width: 96,
                render: (_, s) =>
                  s.active ? (
                    <Tag color="success">{t('启用中', 'Active')}</Tag>
                  ) : manage ? (
                    <Popconfirm
                      title={t(`启用第${s.version}版？`, `Make version ${s.version} active?`)}
                      description={t('同年度其他版本将停用', 'The other versions of the year stop')}
                      onConfirm={() => activate(s)}
                      okText={t('启用', 'Activate')}
                      cancelText={t('取消', 'Cancel')}
                    >
                      <Button size="small" loading={activating === s.id}>
                        {t('启用', 'Activate')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Tag>{t('未启用', 'Not active')}</Tag>
                  ),
              },
            ]}
          />
        )}
      </Card>
      {manage && (
        <SchemeForm
          open={editing.open}
          year={year}
          base={editing.base}
          onClose={() => setEditing({ open: false, base: null })}
        />
      )}
    </Space>
  );
}
