import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Modal,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { CloseInput } from '../../../../src/modules/inspections/schemas.ts';
import { PageHeader } from '../../components/page-header';
import { ErrorState } from '../../components/states';
import { api } from '../../lib/api';
import { useCan } from '../../lib/auth';
import { today } from '../../lib/format';
import { applyServerErrors, zodRule } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';
import { type Rectification, useMyRectifications, useRectificationDashboard, useRectifications } from './api';

const STATUS_COLOR: Record<string, string> = { open: 'processing', overdue: 'error', closed: 'success' };

function CloseDialog({ target, onDone }: { target: Rectification | null; onDone: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<{ evidence: string; closedOn: string }>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const submit = async (v: { evidence: string; closedOn: string }) => {
    if (!target) return;
    setBusy(true);
    setBanner(undefined);
    try {
      await api.post(`/api/rectifications/${target.id}/close`, v);
      message.success(t('已整改销号', 'Closed'));
      await qc.invalidateQueries({ queryKey: ['rectifications'] });
      await qc.invalidateQueries({ queryKey: ['inspections'] });
      form.resetFields();
      onDone();
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!target}
      title={t('整改销号', 'Close the rectification')}
      onCancel={onDone}
      onOk={() => form.submit()}
      okText={t('销号', 'Close it')}
      confirmLoading={busy}
      destroyOnHidden
    >
      {target && (
        <Typography.Paragraph>
          <Typography.Text type="secondary">{t('问题：', 'Problem: ')}</Typography.Text>
          {target.problem}
        </Typography.Paragraph>
      )}
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ closedOn: today() }}>
        <Form.Item
          name="evidence"
          label={t('整改情况及佐证（必填）', 'What was done, with evidence (required)')}
          rules={[
            {
              required: true,
              message: t('请填写整改情况和佐证材料', 'Describe what was done, with evidence'),
            },
            zodRule(CloseInput.shape.evidence),
          ]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="closedOn" label={t('销号日期', 'Date closed')} rules={[{ required: true }]}>
          <Input type="date" max={today()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 整改: what I must put right, everything open in my subtree, and counts by township. */
export default function Rectifications() {
  const { t } = useI18n();
  const can = useCan();
  const [view, setView] = useState<'mine' | 'open' | 'overdue' | 'closed'>('mine');
  const [page, setPage] = useState(1);
  const [closing, setClosing] = useState<Rectification | null>(null);
  const mine = useMyRectifications(view === 'mine');
  const list = useRectifications({ status: view === 'mine' ? undefined : view, page });
  const dash = useRectificationDashboard(can('inspection.read'));
  const source = view === 'mine' ? mine : list;
  const rows = view === 'mine' ? (mine.data?.items ?? []) : (list.data?.items ?? []);

  return (
    <>
      <PageHeader
        title={t('整改', 'Rectifications')}
        subtitle={t('督查发现的问题，逐项整改销号', 'Problems found by checks, put right one by one')}
      />
      {dash.data && (
        <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t('整改中', 'Open')} value={dash.data.total.open} />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic
                title={t('逾期未整改', 'Overdue')}
                value={dash.data.total.overdue}
                styles={{ content: { color: dash.data.total.overdue ? '#cf1322' : undefined } }}
              />
            </Card>
          </Col>
          <Col xs={8}>
            <Card size="small">
              <Statistic title={t('本年已销号', 'Closed this year')} value={dash.data.total.closedThisYear} />
            </Card>
          </Col>
        </Row>
      )}
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            value={view}
            onChange={(v) => {
              setView(v as typeof view);
              setPage(1);
            }}
            options={[
              { value: 'mine', label: t(`我的待整改${mine.data ? `（${mine.data.open}）` : ''}`, 'Mine') },
              { value: 'open', label: t('整改中', 'Open') },
              { value: 'overdue', label: t('逾期', 'Overdue') },
              { value: 'closed', label: t('已销号', 'Closed') },
            ]}
          />
        </Space>
        {source.error ? (
          <ErrorState error={source.error} onRetry={() => void source.refetch()} />
        ) : (
          <Table<Rectification>
            rowKey="id"
            size="small"
            loading={source.isPending}
            dataSource={rows}
            scroll={{ x: 760 }}
            locale={{
              emptyText:
                view === 'mine' ? t('没有需要您整改的问题', 'Nothing for you to put right') : undefined,
            }}
            pagination={
              view === 'mine'
                ? false
                : {
                    current: page,
                    pageSize: 20,
                    total: list.data?.total ?? 0,
                    onChange: setPage,
                    showSizeChanger: false,
                  }
            }
            columns={[
              {
                title: t('问题', 'Problem'),
                dataIndex: 'problem',
                render: (v: string, r) => (
                  <div style={{ minWidth: 200 }}>
                    <div>{v}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.check.targetName} · {r.check.methodLabel} {r.check.checkedOn}
                    </Typography.Text>
                  </div>
                ),
              },
              {
                title: t('责任单位', 'Owner'),
                width: 180,
                render: (_, r) => (
                  <>
                    <div>{r.ownerOrgName}</div>
                    {r.ownerName && <Typography.Text type="secondary">{r.ownerName}</Typography.Text>}
                  </>
                ),
              },
              { title: t('期限', 'Due'), dataIndex: 'dueOn', width: 110 },
              {
                title: t('状态', 'Status'),
                width: 110,
                render: (_, r) => <Tag color={STATUS_COLOR[r.status]}>{r.statusLabel}</Tag>,
              },
              {
                title: t('整改情况', 'Done'),
                width: 200,
                render: (_, r) =>
                  r.status === 'closed' ? (
                    <Typography.Text style={{ fontSize: 12 }}>
                      {r.evidence}（{r.closedByName} {r.closedOn}）
                    </Typography.Text>
                  ) : can('rectification.close') ? (
                    <Button size="small" type="primary" ghost onClick={() => setClosing(r)}>
                      {t('整改销号', 'Close')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
      {dash.data && dash.data.byTownship.length > 0 && (
        <Card size="small" title={t('各乡镇整改情况', 'By township')} style={{ marginTop: 16 }}>
          <Table
            rowKey={(r) => String(r.orgId ?? r.name)}
            size="small"
            pagination={false}
            dataSource={dash.data.byTownship}
            scroll={{ x: 400 }}
            columns={[
              { title: t('乡镇', 'Township'), dataIndex: 'name' },
              { title: t('整改中', 'Open'), dataIndex: 'open', width: 90 },
              {
                title: t('逾期', 'Overdue'),
                dataIndex: 'overdue',
                width: 90,
                render: (v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : v),
              },
              { title: t('本年销号', 'Closed'), dataIndex: 'closedThisYear', width: 90 },
            ]}
          />
        </Card>
      )}
      <CloseDialog target={closing} onDone={() => setClosing(null)} />
    </>
  );
}
