import { CopyOutlined, ExportOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Grid,
  Input,
  List,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { SurveyInput } from '../../../../../src/modules/assessment/schemas.ts';
import { OrgPicker } from '../../../components/org-picker';
import { ErrorState } from '../../../components/states';
import { api, isApiError, type Page } from '../../../lib/api';
import { useCan } from '../../../lib/auth';
import { formatDateTime, today } from '../../../lib/format';
import { applyServerErrors, zodRule } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import { KEYS, publicUrl, type Survey, useSurveyResponses, useSurveys } from './api';

const inDays = (from: string, n: number) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Copies text: the Clipboard API where the page may use it, the old way otherwise. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

function CopyLink({ survey }: { survey: Survey }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const url = publicUrl(survey);
  return (
    <Space size={4} wrap>
      <Tooltip title={url}>
        <Button
          size="small"
          icon={<CopyOutlined />}
          aria-label={t(`复制“${survey.title}”的填写链接`, `Copy the link of “${survey.title}”`)}
          onClick={async () => {
            if (await copyText(url)) message.success(t('链接已复制', 'Link copied'));
            else message.info(url);
          }}
        >
          {t('复制链接', 'Copy link')}
        </Button>
      </Tooltip>
      <Button
        size="small"
        type="link"
        icon={<ExportOutlined />}
        href={survey.url}
        target="_blank"
        rel="noopener"
        aria-label={t(`打开“${survey.title}”的填写页面`, `Open the form of “${survey.title}”`)}
      >
        {t('打开', 'Open')}
      </Button>
    </Space>
  );
}

/** The three answers as a bar, with their counts. */
function Counts({ s }: { s: Survey }) {
  const { t } = useI18n();
  const r = s.responses;
  const parts = [
    { n: r.satisfied, color: '#52c41a', label: t('满意', 'Satisfied') },
    { n: r.basicallySatisfied, color: '#faad14', label: t('基本满意', 'Basically') },
    { n: r.unsatisfied, color: '#f5222d', label: t('不满意', 'Unsatisfied') },
  ];
  return (
    <div style={{ minWidth: 170 }}>
      <div
        style={{ display: 'flex', height: 8, borderRadius: 4, overflow: 'hidden', background: '#f0f0f0' }}
        aria-hidden
      >
        {r.total > 0 &&
          parts.map((p) => (
            <div key={p.label} style={{ width: `${(100 * p.n) / r.total}%`, background: p.color }} />
          ))}
      </div>
      <Typography.Text style={{ fontSize: 12 }}>
        {parts.map((p) => `${p.label} ${p.n}`).join(' · ')}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(` · 共${r.total}份`, ` · ${r.total} in all`)}
        </Typography.Text>
      </Typography.Text>
    </div>
  );
}

function Responses({ survey }: { survey: Survey }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const q = useSurveyResponses(survey.id, page);
  if (q.error) return <ErrorState error={q.error} />;
  return (
    <List
      size="small"
      loading={q.isPending}
      dataSource={q.data?.items ?? []}
      locale={{ emptyText: t('还没有答卷', 'No answers yet') }}
      pagination={
        (q.data?.total ?? 0) > 10
          ? { current: page, pageSize: 10, total: q.data?.total ?? 0, onChange: setPage, size: 'small' }
          : false
      }
      renderItem={(r) => (
        <List.Item>
          <Space wrap size={8}>
            <Tag
              color={r.answer === 'satisfied' ? 'success' : r.answer === 'unsatisfied' ? 'error' : 'warning'}
            >
              {r.answerLabel}
            </Tag>
            <span>
              {r.comment ?? (
                <Typography.Text type="secondary">{t('（未填意见）', '(no comment)')}</Typography.Text>
              )}
            </span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(r.createdAt)}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

interface SurveyValues {
  target: 'pairing' | 'org';
  pairingId?: number;
  orgId?: number;
  title?: string;
  opensOn?: string;
  closesOn: string;
}

/** Opens a survey of one pairing or one village (organisation), with a public link the masses answer. */
function SurveyDialog({ open, year, onDone }: { open: boolean; year: number; onDone: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<SurveyValues>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const target = Form.useWatch('target', form);
  const pairings = useQuery({
    queryKey: ['pairings', 'for-survey', year],
    queryFn: () =>
      api.get<Page<{ id: number; title: string; kindLabel: string }>>('/api/pairings', {
        year,
        pageSize: 500,
      }),
    enabled: open,
  });
  const submit = async (v: SurveyValues) => {
    setBusy(true);
    setBanner(undefined);
    try {
      const s = await api.post<Survey>('/api/assessment/surveys', {
        year,
        ...(v.target === 'pairing' ? { pairingId: v.pairingId } : { orgId: v.orgId }),
        ...(v.title?.trim() ? { title: v.title.trim() } : {}),
        ...(v.opensOn ? { opensOn: v.opensOn } : {}),
        closesOn: v.closesOn,
      });
      message.success(t(`已发起：${s.title}`, `Opened: ${s.title}`));
      await qc.invalidateQueries({ queryKey: KEYS.surveys(year) });
      form.resetFields();
      onDone();
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setBusy(false);
    }
  };
  const now = today();
  return (
    <Modal
      open={open}
      title={t('发起满意度测评', 'Open a satisfaction survey')}
      onCancel={onDone}
      onOk={() => form.submit()}
      okText={t('发起', 'Open it')}
      cancelText={t('取消', 'Cancel')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t(
          '群众通过公开链接（无需登录）选择“满意”“基本满意”或“不满意”，可留意见；结果计入年终考评的群众满意度。',
          'People answer at a public link (no sign-in): satisfied, basically satisfied or unsatisfied, with an optional comment; the answers count in the year-end assessment.',
        )}
      </Typography.Paragraph>
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
      <Form<SurveyValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        initialValues={{ target: 'org', opensOn: now, closesOn: inDays(now, 30) }}
      >
        <Form.Item name="target" label={t('测评对象', 'About')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'org', label: t('一个村（党组织）', 'A village (organisation)') },
              { value: 'pairing', label: t('一个结对', 'A pairing') },
            ]}
          />
        </Form.Item>
        {target === 'pairing' ? (
          <Form.Item
            name="pairingId"
            label={t('结对', 'Pairing')}
            rules={[{ required: true, message: t('请选择结对', 'Pick the pairing') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={pairings.isPending}
              placeholder={t('输入名称搜索', 'Type to search')}
              options={(pairings.data?.items ?? []).map((p) => ({
                value: p.id,
                label: `${p.title}（${p.kindLabel}）`,
              }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="orgId"
            label={t('村（党组织）', 'Village (organisation)')}
            rules={[{ required: true, message: t('请选择党组织', 'Pick the organisation') }]}
          >
            <OrgPicker aria-label={t('村（党组织）', 'Village (organisation)')} />
          </Form.Item>
        )}
        <Form.Item
          name="title"
          label={t('标题（可选，默认按对象生成）', 'Title (optional; made up when left out)')}
          rules={[zodRule(SurveyInput.shape.title)]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Flex wrap gap={12}>
          <Form.Item name="opensOn" label={t('开始日期', 'Opens')} style={{ flex: '1 1 140px' }}>
            <Input type="date" min={now} />
          </Form.Item>
          <Form.Item
            name="closesOn"
            label={t('截止日期', 'Closes')}
            style={{ flex: '1 1 140px' }}
            rules={[
              { required: true, message: t('请填写截止日期', 'Give the last day') },
              zodRule(SurveyInput.shape.closesOn),
              ({ getFieldValue }) => ({
                validator: async (_, v?: string) => {
                  const from = getFieldValue('opensOn') || now;
                  if (v && v < from) throw new Error(t('截止日期早于开始日期', 'It closes before it opens'));
                },
              }),
            ]}
          >
            <Input type="date" min={now} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

/** 满意度测评: the year's surveys with their counts and public links; opening and closing them. */
export function SurveysPanel({ year }: { year: number }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const manage = can('assessment.manage');
  const surveys = useSurveys(year);
  const [opening, setOpening] = useState(false);
  const [closing, setClosing] = useState<number>();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const now = today();
  const narrow = Grid.useBreakpoint().md === false;

  const close = async (s: Survey) => {
    setClosing(s.id);
    try {
      await api.post(`/api/assessment/surveys/${s.id}/close`);
      message.success(t('测评已结束', 'Survey closed'));
      await qc.invalidateQueries({ queryKey: KEYS.surveys(year) });
    } catch (e) {
      message.error(isApiError(e) ? e.text(lang) : t('操作失败', 'Failed'));
    } finally {
      setClosing(undefined);
    }
  };

  const state = (s: Survey) =>
    s.closedAt ? (
      <Tag>{t('已提前结束', 'Closed early')}</Tag>
    ) : s.open ? (
      <Tag color="processing">{t('进行中', 'Open')}</Tag>
    ) : s.opensOn > now ? (
      <Tag color="default">{t('未开始', 'Not yet open')}</Tag>
    ) : (
      <Tag>{t('已截止', 'Closed')}</Tag>
    );

  const closeButton = (s: Survey) =>
    manage && s.open ? (
      <Popconfirm
        title={t('提前结束该测评？', 'Close this survey now?')}
        description={t('结束后群众无法再提交', 'Nobody can answer after this')}
        okText={t('结束', 'Close')}
        cancelText={t('取消', 'Cancel')}
        onConfirm={() => close(s)}
      >
        <Button
          size="small"
          danger
          loading={closing === s.id}
          aria-label={t(`结束“${s.title}”`, `Close “${s.title}”`)}
        >
          {t('结束', 'Close')}
        </Button>
      </Popconfirm>
    ) : null;
  const what = (s: Survey) => (
    <>
      <div>{s.title}</div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {s.pairingId ? t('结对', 'Pairing') : t('村', 'Village')} · {s.orgName}
      </Typography.Text>
    </>
  );
  // On a phone everything of a survey stacks in one cell: nothing to scroll sideways.
  const columns: TableColumnsType<Survey> = narrow
    ? [
        {
          title: t('测评', 'Survey'),
          render: (_, s) => (
            <Space orientation="vertical" size={6} style={{ width: '100%' }}>
              {what(s)}
              <Flex wrap gap={8} align="center">
                {state(s)}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {s.opensOn} {t('至', 'to')} {s.closesOn}
                </Typography.Text>
              </Flex>
              <Counts s={s} />
              <Flex wrap gap={8} align="center">
                <CopyLink survey={s} />
                {closeButton(s)}
              </Flex>
            </Space>
          ),
        },
      ]
    : [
        { title: t('测评', 'Survey'), render: (_, s) => <div style={{ minWidth: 200 }}>{what(s)}</div> },
        {
          title: t('期间', 'Period'),
          width: 120,
          render: (_, s) => (
            <span style={{ fontSize: 12 }}>
              {s.opensOn}
              <br />
              {t('至', 'to')} {s.closesOn}
            </span>
          ),
        },
        { title: t('状态', 'State'), width: 100, render: (_, s) => state(s) },
        { title: t('答卷', 'Answers'), width: 200, render: (_, s) => <Counts s={s} /> },
        { title: t('填写链接', 'Public form'), width: 170, render: (_, s) => <CopyLink survey={s} /> },
        ...(manage
          ? [{ title: t('操作', 'Action'), width: 90, render: (_: unknown, s: Survey) => closeButton(s) }]
          : []),
      ];

  return (
    <Card
      size="small"
      title={t('群众满意度测评', 'Satisfaction surveys')}
      extra={
        manage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)}>
            {t('发起测评', 'Open a survey')}
          </Button>
        ) : null
      }
      styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 } }}
    >
      {surveys.error ? (
        <ErrorState error={surveys.error} onRetry={() => void surveys.refetch()} />
      ) : (
        <Table<Survey>
          rowKey="id"
          size="small"
          loading={surveys.isPending}
          dataSource={surveys.data ?? []}
          scroll={narrow ? undefined : { x: 860 }}
          locale={{ emptyText: t('本年度还没有满意度测评', 'No surveys this year') }}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          expandable={{ expandedRowRender: (s) => <Responses survey={s} /> }}
          columns={columns}
        />
      )}
      {manage && <SurveyDialog open={opening} year={year} onDone={() => setOpening(false)} />}
    </Card>
  );
}
