import {
  CameraOutlined,
  CheckCircleFilled,
  CloudUploadOutlined,
  DeleteOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  List,
  Radio,
  Result,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { PAIRING_KINDS, VISIT_KINDS, visitKindsFor } from '../../../../src/domain/pairings.ts';
import { CreateVisitInput } from '../../../../src/modules/pairings/schemas.ts';
import { LevelBadge } from '../../components/level-badge';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { extrasBody, VisitExtras, type VisitExtrasValues } from '../../components/visit-extras';
import { api, type Page } from '../../lib/api';
import { today } from '../../lib/format';
import { applyServerErrors, zodRule } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';
import {
  type Draft,
  flushOutbox,
  listDrafts,
  onOutboxChange,
  removeDraft,
  type SendResult,
  submitVisit,
} from './outbox';

interface MyPairing {
  id: number;
  kind: string;
  helper?: { orgId: number | null };
  helped?: { orgId: number | null };
  kindLabel: string;
  title: string;
  compliance: {
    level: string;
    hasQuota: boolean;
    done: number;
    required: number;
    nextDueOn: string | null;
  } | null;
}

const RECENT_KEY = 'gj.recentPairings';
const MY_PAIRINGS_KEY = 'gj.myPairings';
const readJson = <T,>(key: string, fallback: T): T => {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '') as T;
  } catch {
    return fallback;
  }
};
const remember = (id: number) => {
  const recent = [id, ...readJson<number[]>(RECENT_KEY, []).filter((x) => x !== id)].slice(0, 20);
  localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
};

/** My pairings, most recently used first; kept on the phone so the list shows without a signal. */
function useMyPairings() {
  return useQuery({
    queryKey: ['pairings', 'mine'],
    queryFn: async () => {
      const page = await api.get<Page<MyPairing>>('/api/pairings', { mine: true, pageSize: 500 });
      localStorage.setItem(MY_PAIRINGS_KEY, JSON.stringify(page.items));
      return page.items;
    },
    placeholderData: () => readJson<MyPairing[] | undefined>(MY_PAIRINGS_KEY, undefined),
    select: (items) => {
      const recent = readJson<number[]>(RECENT_KEY, []);
      const rank = (id: number) => {
        const i = recent.indexOf(id);
        return i < 0 ? recent.length : i;
      };
      return [...items].sort((a, b) => rank(a.id) - rank(b.id));
    },
  });
}

/** The visit kinds a pairing's kind counts, first the one its quota is about. */
/** The kinds this pairing records (the kind's own list), the counted ones first. */
function kindsFor(pairingKind: string | undefined) {
  const k = PAIRING_KINDS.find((x) => x.code === pairingKind);
  const counted = (k?.defaultQuota.countsVisitKinds ?? ['on_site_work']) as readonly string[];
  const allowed = new Set<string>(pairingKind ? visitKindsFor(pairingKind) : VISIT_KINDS.map((v) => v.code));
  const offered = VISIT_KINDS.filter((v) => allowed.has(v.code));
  const rest = offered.filter((v) => !counted.includes(v.code) && v.code !== 'four_visits');
  return [...offered.filter((v) => counted.includes(v.code)), ...rest];
}

function useOutbox() {
  const [drafts, setDrafts] = useState<Draft[]>([]);
  useEffect(() => {
    const load = () =>
      void listDrafts()
        .then(setDrafts)
        .catch(() => setDrafts([]));
    load();
    return onOutboxChange(load);
  }, []);
  return drafts;
}

interface Values extends VisitExtrasValues {
  kind: string;
  visitedOn: string;
  content: string;
}

/**
 * 登记走访 on a phone, in three screens at most: pick the pairing → a few words and photos → saved.
 * With no signal the visit is kept on the phone and sent when the connection returns; the screen
 * says plainly which of the two happened.
 */
export default function LogVisit() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const pairingId = params.get('pairing') ? Number(params.get('pairing')) : undefined;
  const mine = useMyPairings();
  const drafts = useOutbox();
  const [form] = Form.useForm<Values>();
  const [photos, setPhotos] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string>();
  const [done, setDone] = useState<(SendResult & { clientRef?: string }) | null>(null);
  const [online, setOnline] = useState(navigator.onLine);

  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);

  // Kept on the phone: once the outbox has sent it, say so.
  const keptRef = done && !done.ok ? done.clientRef : undefined;
  useEffect(() => {
    if (!keptRef) return;
    return onOutboxChange(() => {
      void listDrafts().then((ds) => {
        const d = ds.find((x) => x.clientRef === keptRef);
        // The shell refreshes the counts (onVisitSaved); this screen only says it was sent.
        if (!d) setDone({ ok: true, visitId: 0 });
      });
    });
  }, [keptRef]);

  const pairing = useMemo(() => mine.data?.find((p) => p.id === pairingId), [mine.data, pairingId]);
  const kinds = kindsFor(pairing?.kind);
  const previews = useMemo(() => photos.map((f) => URL.createObjectURL(f)), [photos]);
  useEffect(
    () => () => {
      for (const u of previews) URL.revokeObjectURL(u);
    },
    [previews],
  );

  // The pairing's badge after saving: fetched fresh from the server.
  const fresh = useQuery({
    queryKey: ['pairing', pairingId, 'after-visit', done?.ok ? done.visitId : -1],
    queryFn: () => api.get<MyPairing>(`/api/pairings/${pairingId}`),
    enabled: !!done?.ok && pairingId !== undefined,
  });

  const pick = (id: number) => {
    setDone(null);
    setBanner(undefined);
    setPhotos([]);
    form.resetFields();
    setParams({ pairing: String(id) });
  };

  const submit = async (v: Values) => {
    if (!pairingId) return;
    setBusy(true);
    setBanner(undefined);
    try {
      const r = await submitVisit(
        {
          pairingIds: [pairingId],
          visitedOn: v.visitedOn,
          kind: v.kind,
          content: v.content,
          ...extrasBody(v),
        },
        photos,
      );
      remember(pairingId);
      if (r.ok || r.offline) {
        setDone(r);
        setPhotos([]);
        form.resetFields();
      } else {
        setBanner(applyServerErrors(form, r.error, lang) ?? (lang === 'en' ? r.messageEn : r.message));
      }
    } finally {
      setBusy(false);
    }
  };

  const waiting = drafts.filter((d) => !d.error);
  const refused = drafts.filter((d) => d.error);

  const outbox = drafts.length > 0 && (
    <Card size="small" title={t('本机待发送的走访记录', 'Visits waiting on this phone')}>
      {waiting.length > 0 && (
        <Alert
          type="warning"
          showIcon
          icon={<CloudUploadOutlined />}
          title={t(
            `${waiting.length}条记录保存在本机，尚未到达服务器。联网后会自动发送。`,
            `${waiting.length} kept on this phone, not yet on the server. They are sent when the connection returns.`,
          )}
          action={
            <Button
              size="small"
              disabled={!online}
              onClick={() =>
                void flushOutbox().then((n) => n > 0 && message.success(t(`已发送${n}条`, `${n} sent`)))
              }
            >
              {t('立即发送', 'Send now')}
            </Button>
          }
        />
      )}
      {refused.length > 0 && (
        <List
          size="small"
          dataSource={refused}
          renderItem={(d) => (
            <List.Item
              actions={[
                <Button
                  key="del"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => void removeDraft(d.clientRef).then(() => listDrafts())}
                >
                  {t('删除', 'Delete')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={`${d.body.visitedOn} ${d.body.content.slice(0, 20)}`}
                description={<Typography.Text type="danger">{d.error}</Typography.Text>}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );

  // Screen 3: the result, said plainly.
  if (done) {
    return (
      <>
        <PageHeader title={t('登记走访', 'Log a visit')} />
        {done.ok ? (
          <Result
            status="success"
            icon={<CheckCircleFilled />}
            title={t('已保存到服务器', 'Saved on the server')}
            subTitle={
              <Space orientation="vertical">
                <span>{pairing?.title}</span>
                {fresh.data?.compliance && (
                  <Space>
                    <LevelBadge
                      level={fresh.data.compliance.level}
                      hasQuota={fresh.data.compliance.hasQuota}
                    />
                    {fresh.data.compliance.hasQuota && (
                      <span>
                        {t('已走访', 'Visits')} {fresh.data.compliance.done}/{fresh.data.compliance.required}
                      </span>
                    )}
                  </Space>
                )}
              </Space>
            }
            extra={[
              <Button key="again" type="primary" onClick={() => setDone(null)}>
                {t('再登记一条', 'Log another')}
              </Button>,
              <Link key="pairing" to={`/pairings/${pairingId}`}>
                <Button>{t('查看结对', 'Open the pairing')}</Button>
              </Link>,
            ]}
          />
        ) : (
          <Result
            status="warning"
            icon={<WifiOutlined />}
            title={t('已保存在本机，尚未发送', 'Kept on this phone, not sent yet')}
            subTitle={t(
              '当前网络不通。记录不会丢失，联网后自动发送到服务器，发送成功后这里会提示。',
              'No connection now. Nothing is lost: it is sent when the connection returns, and this screen will say so.',
            )}
            extra={[
              <Button key="again" onClick={() => setDone(null)}>
                {t('再登记一条', 'Log another')}
              </Button>,
            ]}
          />
        )}
        {outbox}
      </>
    );
  }

  // Screen 1: pick one of my pairings.
  if (!pairingId) {
    return (
      <>
        <PageHeader
          title={t('登记走访', 'Log a visit')}
          subtitle={t('第1步：选择结对', 'Step 1: pick the pairing')}
        />
        {!online && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(
              '当前无网络：可以照常登记，联网后自动发送。',
              'Offline: log as usual, it is sent when the connection returns.',
            )}
          />
        )}
        {outbox}
        {mine.isPending && <Loading />}
        {mine.error && !mine.data && <ErrorState error={mine.error} onRetry={() => void mine.refetch()} />}
        {mine.data && mine.data.length === 0 && (
          <EmptyState text={t('没有由您承担的结对', 'No pairings of yours')} />
        )}
        {mine.data && mine.data.length > 0 && (
          <List
            dataSource={mine.data}
            renderItem={(p) => (
              <List.Item style={{ padding: 0, border: 0, marginBottom: 8 }}>
                <Card hoverable size="small" style={{ width: '100%' }} onClick={() => pick(p.id)}>
                  <button
                    type="button"
                    onClick={() => pick(p.id)}
                    style={{ all: 'unset', display: 'block', width: '100%', cursor: 'pointer' }}
                    aria-label={`${t('选择', 'Pick')} ${p.title}`}
                  >
                    <Flex justify="space-between" align="center" gap={8}>
                      <div style={{ minWidth: 0 }}>
                        <Typography.Text strong ellipsis style={{ display: 'block' }}>
                          {p.title}
                        </Typography.Text>
                        <Space size={6} wrap>
                          <Tag>{p.kindLabel}</Tag>
                          {p.compliance?.nextDueOn && (
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {t('下次应在', 'Next due')} {p.compliance.nextDueOn}
                            </Typography.Text>
                          )}
                        </Space>
                      </div>
                      <LevelBadge level={p.compliance?.level} hasQuota={p.compliance?.hasQuota ?? true} />
                    </Flex>
                  </button>
                </Card>
              </List.Item>
            )}
          />
        )}
      </>
    );
  }

  // Screen 2: a few words and photos; kind and date already filled in.
  return (
    <>
      <PageHeader
        title={t('登记走访', 'Log a visit')}
        subtitle={pairing?.title ?? t('第2步：填写内容', 'Step 2: what was done')}
        extra={
          <Button onClick={() => navigate('/visits/new')} size="small">
            {t('换一个结对', 'Another pairing')}
          </Button>
        }
      />
      {!online && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            '当前无网络：保存后记录留在本机，联网后自动发送。',
            'Offline: the visit is kept on this phone and sent when the connection returns.',
          )}
        />
      )}
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
      <Card size="small">
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          disabled={busy}
          initialValues={{ kind: kinds[0]?.code ?? 'on_site_work', visitedOn: today() }}
        >
          <Form.Item name="kind" label={t('活动类型', 'Kind')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}
              options={kinds
                .slice(0, 6)
                .map((k) => ({ value: k.code, label: lang === 'en' ? k.en.split(' (')[0] : k.zh }))}
            />
          </Form.Item>
          <Form.Item
            name="visitedOn"
            label={t('日期', 'Date')}
            rules={[{ required: true, message: t('请填写日期', 'Enter the date') }]}
          >
            <Input type="date" max={today()} />
          </Form.Item>
          <Form.Item
            name="content"
            label={t('做了什么（几句话即可）', 'What was done (a few words)')}
            rules={[
              { required: true, message: t('请写几句活动内容', 'Write a few words') },
              zodRule(CreateVisitInput.shape.content),
            ]}
          >
            <Input.TextArea
              rows={3}
              maxLength={4000}
              showCount
              placeholder={t(
                '如：到村研究产业项目，走访困难党员2户',
                'e.g. met the branch on the village project',
              )}
            />
          </Form.Item>
          <VisitExtras
            participantOrgIds={[pairing?.helper?.orgId, pairing?.helped?.orgId].filter(
              (o): o is number => typeof o === 'number',
            )}
          />
          <Form.Item label={t('照片', 'Photos')}>
            <Space wrap>
              {previews.map((u, i) => (
                <div key={u} style={{ position: 'relative' }}>
                  <img
                    src={u}
                    alt={t(`照片${i + 1}`, `Photo ${i + 1}`)}
                    style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 6 }}
                  />
                  <Button
                    size="small"
                    type="text"
                    danger
                    aria-label={t('移除照片', 'Remove photo')}
                    icon={<DeleteOutlined />}
                    style={{ position: 'absolute', top: 0, right: 0, background: '#fff' }}
                    onClick={() => setPhotos((ps) => ps.filter((_, j) => j !== i))}
                  />
                </div>
              ))}
              <label
                style={{
                  width: 72,
                  height: 72,
                  border: '1px dashed #d9d9d9',
                  borderRadius: 6,
                  display: 'flex',
                  flexDirection: 'column',
                  alignItems: 'center',
                  justifyContent: 'center',
                  cursor: 'pointer',
                  fontSize: 12,
                  position: 'relative',
                }}
              >
                <CameraOutlined style={{ fontSize: 20 }} />
                {t('拍照', 'Photo')}
                <input
                  type="file"
                  accept="image/*"
                  capture="environment"
                  multiple
                  aria-label={t('添加照片', 'Add photos')}
                  style={{ position: 'absolute', width: 1, height: 1, opacity: 0 }}
                  onChange={(e) => {
                    const files = Array.from(e.target.files ?? []);
                    setPhotos((ps) => [...ps, ...files].slice(0, 9));
                    e.target.value = '';
                  }}
                />
              </label>
            </Space>
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {online ? t('保存', 'Save') : t('保存在本机', 'Keep on this phone')}
          </Button>
        </Form>
      </Card>
      <div style={{ marginTop: 12 }}>{outbox}</div>
    </>
  );
}
