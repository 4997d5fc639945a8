import { DownloadOutlined, FileWordOutlined, TableOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  List,
  Progress,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { OrgPicker } from '../../components/org-picker';
import { PageHeader } from '../../components/page-header';
import { ErrorState, Loading } from '../../components/states';
import { api, isApiError, withQuery } from '../../lib/api';
import { useCan } from '../../lib/auth';
import { useI18n } from '../../lib/i18n';

interface Ledger {
  name: string;
  titleZh: string;
  titleEn: string;
  columns: { key: string; zh: string; en: string }[];
}
interface Job {
  id: string;
  status: 'running' | 'done' | 'failed';
  statusLabel: string;
  rowsDone: number;
  rowsTotal: number;
  fileName: string;
  fileUrl: string | null;
  error: { message: string; messageEn: string } | null;
}
interface Filter {
  orgId?: number;
  year?: number;
  from?: string;
  to?: string;
}

/** One export: started, its progress polled until the file is ready, then downloaded. */
function ExportRow({ ledger, filter }: { ledger: Ledger; filter: Filter }) {
  const { t, lang } = useI18n();
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<string>();
  const job = useQuery({
    queryKey: ['ledger-job', jobId],
    queryFn: () => api.get<Job>(`/api/ledgers/exports/${jobId}`),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data?.status === 'running' || !q.state.data ? 700 : false),
  });
  useEffect(() => {
    if (job.data?.status === 'done' && job.data.fileUrl) window.location.assign(job.data.fileUrl);
  }, [job.data?.status, job.data?.fileUrl]);
  const start = async () => {
    setError(undefined);
    try {
      const j = await api.post<Job>(`/api/ledgers/${ledger.name}/exports`, filter);
      setJobId(j.id);
    } catch (e) {
      setError(isApiError(e) ? e.text(lang) : String(e));
    }
  };
  const j = job.data;
  const pct = j?.rowsTotal ? Math.round((j.rowsDone / j.rowsTotal) * 100) : j?.status === 'done' ? 100 : 0;
  return (
    <List.Item
      actions={[
        <Button
          key="go"
          icon={<DownloadOutlined />}
          onClick={start}
          loading={j?.status === 'running'}
          aria-label={`${t('导出', 'Export')} ${lang === 'en' ? ledger.titleEn : ledger.titleZh}`}
        >
          {t('导出Excel', 'Export xlsx')}
        </Button>,
      ]}
    >
      <List.Item.Meta
        avatar={<TableOutlined style={{ fontSize: 20, color: '#389e0d' }} />}
        title={lang === 'en' ? ledger.titleEn : ledger.titleZh}
        description={
          <>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {ledger.columns
                .slice(0, 8)
                .map((c) => (lang === 'en' ? c.en : c.zh))
                .join('、')}
              {ledger.columns.length > 8 ? '…' : ''}
            </Typography.Text>
            {j && (
              <div style={{ maxWidth: 420 }}>
                <Progress
                  percent={pct}
                  size="small"
                  status={j.status === 'failed' ? 'exception' : j.status === 'done' ? 'success' : 'active'}
                />
                <Typography.Text style={{ fontSize: 12 }}>
                  {j.status === 'failed'
                    ? lang === 'en'
                      ? j.error?.messageEn
                      : j.error?.message
                    : t(
                        `${j.statusLabel}：${j.rowsDone}/${j.rowsTotal}行`,
                        `${j.status}: ${j.rowsDone}/${j.rowsTotal} rows`,
                      )}
                  {j.status === 'done' && j.fileUrl && (
                    <>
                      {' '}
                      <a href={j.fileUrl}>{t('未自动下载？点此下载', 'Not downloaded? Click here')}</a>
                    </>
                  )}
                </Typography.Text>
              </div>
            )}
            {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
          </>
        }
      />
    </List.Item>
  );
}

/** 台账导出 and the half-year bulletin: Excel ledgers of any subtree and period, the 通报 as Word. */
export default function Ledgers() {
  const { t } = useI18n();
  const can = useCan();
  const [form] = Form.useForm<Filter>();
  const [filter, setFilter] = useState<Filter>({ year: new Date().getFullYear() });
  const ledgers = useQuery({
    queryKey: ['ledgers'],
    queryFn: () => api.get<{ items: Ledger[] }>('/api/ledgers'),
  });
  const list = ledgers.data?.items ?? [];
  const thisYear = new Date().getFullYear();
  const [bulletin, setBulletin] = useState({ year: thisYear, half: 1, names: false });

  return (
    <>
      <PageHeader title={t('台账与通报', 'Ledgers and the bulletin')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('台账导出（Excel）', 'Ledgers (Excel)')}>
            <Form<Filter>
              form={form}
              layout="inline"
              initialValues={filter}
              onValuesChange={(_, all) =>
                setFilter(
                  Object.fromEntries(
                    Object.entries(all).filter(([, v]) => v !== undefined && v !== ''),
                  ) as Filter,
                )
              }
              style={{ rowGap: 8, marginBottom: 12 }}
            >
              <Form.Item name="orgId" label={t('范围', 'Subtree')}>
                <OrgPicker
                  aria-label={t('范围', 'Subtree')}
                  placeholder={t('本人所在组织', 'My organisation')}
                  style={{ width: 220 }}
                />
              </Form.Item>
              <Form.Item name="year" label={t('年度', 'Year')}>
                <Select
                  allowClear
                  style={{ width: 100 }}
                  options={[thisYear - 1, thisYear].map((y) => ({ value: y, label: String(y) }))}
                />
              </Form.Item>
              <Form.Item name="from" label={t('起', 'From')}>
                <Input type="date" />
              </Form.Item>
              <Form.Item name="to" label={t('止', 'To')}>
                <Input type="date" />
              </Form.Item>
            </Form>
            {ledgers.isPending && <Loading />}
            {ledgers.error && <ErrorState error={ledgers.error} />}
            <List
              dataSource={list}
              renderItem={(l) => <ExportRow key={l.name} ledger={l} filter={filter} />}
            />
          </Card>
        </Col>
        {can('report.read') && (
          <Col xs={24} xl={8}>
            <Card size="small" title={t('半年通报（Word）', 'Half-year bulletin (Word)')}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space wrap>
                  <Select
                    aria-label={t('年度', 'Year')}
                    value={bulletin.year}
                    style={{ width: 100 }}
                    onChange={(year) => setBulletin({ ...bulletin, year })}
                    options={[thisYear - 1, thisYear].map((y) => ({ value: y, label: String(y) }))}
                  />
                  <Select
                    aria-label={t('半年', 'Half')}
                    value={bulletin.half}
                    style={{ width: 110 }}
                    onChange={(half) => setBulletin({ ...bulletin, half })}
                    options={[
                      { value: 1, label: t('上半年', 'January–June') },
                      { value: 2, label: t('下半年', 'July–December') },
                    ]}
                  />
                </Space>
                <Checkbox
                  checked={bulletin.names}
                  onChange={(e) => setBulletin({ ...bulletin, names: e.target.checked })}
                >
                  {t('问题部分写明个人姓名', 'Name people in the problems section')}
                </Checkbox>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }}>
                  {t(
                    '通报中的数字均取自系统记录：总体情况、分乡镇和分类型进展、典型做法、存在问题、下步工作。',
                    'Every figure comes from the records: headline, progress by township and kind, good practice, problems, next steps.',
                  )}
                </Typography.Paragraph>
                <a
                  href={withQuery('/api/reports/bulletin', {
                    year: bulletin.year,
                    half: bulletin.half,
                    names: bulletin.names ? 'true' : undefined,
                  })}
                >
                  <Button type="primary" icon={<FileWordOutlined />}>
                    {t('生成并下载通报', 'Generate and download')}
                  </Button>
                </a>
              </Space>
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}
