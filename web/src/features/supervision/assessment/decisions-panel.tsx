import { Alert, Card, Flex, Grid, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { DECISION_KINDS } from '../../../../../src/domain/assessment.ts';
import { ErrorState } from '../../../components/states';
import { formatDateTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';
import { type Decision, useDecisions } from './api';
import { decisionLabels } from './describe';

/** 评议评选建议: what people proposed for 民主评议党员 and the honours, with their reasons. */
export function DecisionsPanel({ year }: { year: number }) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<string>();
  const decisions = useDecisions(year, kind);

  const narrow = Grid.useBreakpoint().md === false;
  const about = (d: Decision) => (
    <>
      <div>{d.memberName ?? d.orgName}</div>
      {d.memberName && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {d.orgName}
        </Typography.Text>
      )}
    </>
  );
  const proposed = (d: Decision) => (
    <Space orientation="vertical" size={2}>
      <Tag color="blue" style={{ marginInlineEnd: 0 }}>
        {decisionLabels(d, lang).value}
      </Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('未执行，仅为建议', 'Proposal only')}
      </Typography.Text>
    </Space>
  );
  const consulted = (d: Decision) => (d.score === null ? '—' : `${d.score}${d.band ? ` · ${d.band}` : ''}`);
  const by = (d: Decision) => (
    <span style={{ fontSize: 12 }}>
      {d.decidedByName} {formatDateTime(d.decidedAt)}
    </span>
  );
  // On a phone a proposal stacks in one cell: nothing to scroll sideways.
  const columns: TableColumnsType<Decision> = narrow
    ? [
        {
          title: t('建议', 'Proposal'),
          render: (_, d) => (
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text strong>{decisionLabels(d, lang).kind}</Typography.Text>
              {about(d)}
              <Flex wrap gap={8} align="center">
                {proposed(d)}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('参考考评', 'Result')} {consulted(d)}
                </Typography.Text>
              </Flex>
              <div style={{ whiteSpace: 'pre-wrap' }}>{d.reason}</div>
              {by(d)}
            </Space>
          ),
        },
      ]
    : [
        { title: t('类型', 'Kind'), width: 130, render: (_, d) => decisionLabels(d, lang).kind },
        { title: t('对象', 'About'), width: 200, render: (_, d) => about(d) },
        { title: t('建议', 'Proposed'), width: 120, render: (_, d) => proposed(d) },
        { title: t('参考考评', 'Result consulted'), width: 110, render: (_, d) => consulted(d) },
        {
          title: t('理由', 'Reason'),
          dataIndex: 'reason',
          render: (v: string) => <div style={{ minWidth: 180, whiteSpace: 'pre-wrap' }}>{v}</div>,
        },
        { title: t('记录人', 'Recorded by'), width: 150, render: (_, d) => by(d) },
      ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        title={t(
          '以下是工作人员根据考评结果提出并记录的建议（民主评议党员、党建示范点、五好乡镇党委、五好村党支部、评星定级），须经相关程序研究决定，系统从不自动执行。',
          "Proposals recorded by people from the results (democratic evaluation, demonstration points, five-good committees and branches, star ratings): inputs to the county's own procedures, never applied automatically.",
        )}
        description={t(
          '在“考评结果”中按帮扶人、党支部或乡镇查看，点“记录建议”并写明理由。',
          'In “Results”, view helpers, branches or townships and choose “Propose”, with a reason.',
        )}
      />
      <Card
        size="small"
        title={t('建议记录', 'Proposals recorded')}
        styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 } }}
        extra={
          <Select
            aria-label={t('类型', 'Kind')}
            allowClear
            placeholder={t('全部类型', 'All kinds')}
            value={kind}
            onChange={setKind}
            style={{ width: 170 }}
            options={DECISION_KINDS.map((k) => ({ value: k.code, label: lang === 'en' ? k.en : k.zh }))}
          />
        }
      >
        {decisions.error ? (
          <ErrorState error={decisions.error} onRetry={() => void decisions.refetch()} />
        ) : (
          <Table<Decision>
            rowKey="id"
            size="small"
            loading={decisions.isPending}
            dataSource={decisions.data ?? []}
            scroll={narrow ? undefined : { x: 820 }}
            locale={{ emptyText: t('本年度还没有记录建议', 'No proposals this year') }}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
            columns={columns}
          />
        )}
      </Card>
    </Space>
  );
}
