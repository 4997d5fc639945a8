import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { OrgPicker } from '../../components/org-picker';
import { api } from '../../lib/api';
import { useUser } from '../../lib/auth';
import { today } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';
import { usePairingChoices } from './api';

interface Values {
  year: number;
  quarter: number;
  title: string;
  orgId?: number;
  dueOn?: string;
  pairingIds?: number[];
}

const quarterOf = (iso: string) => Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1;
const defaultTitle = (year: number, quarter: number) =>
  `${year}年第${'一二三四'[quarter - 1]}季度三联共建督查`;

/**
 * 安排督查轮次: a quarter's round — its scope, deadline and the pairings to be checked, each assigned
 * to the user arranging it (others take items over when they record the check). A round may start
 * empty; checks recorded later can be filed under it.
 */
export function RoundForm({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const me = useUser();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const now = today();
  const year = Number(now.slice(0, 4));
  const pairings = usePairingChoices(open);

  const submit = async (v: Values) => {
    setBusy(true);
    setBanner(undefined);
    try {
      await api.post('/api/inspection-rounds', {
        year: v.year,
        quarter: v.quarter,
        title: v.title,
        ...(v.orgId ? { orgId: v.orgId } : {}),
        ...(v.dueOn ? { dueOn: v.dueOn } : {}),
        items: (v.pairingIds ?? []).map((pairingId) => ({ pairingId, assignedTo: me.userId })),
      });
      message.success(t('督查轮次已安排', 'The round is planned'));
      await qc.invalidateQueries({ queryKey: ['inspection-rounds'] });
      await qc.invalidateQueries({ queryKey: ['inspections'] });
      form.resetFields();
      onClose();
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={520}
      title={t('安排督查轮次', 'Plan a check round')}
      destroyOnHidden
      extra={
        <Button type="primary" loading={busy} onClick={() => form.submit()}>
          {t('保存', 'Save')}
        </Button>
      }
    >
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        initialValues={{
          year,
          quarter: quarterOf(now),
          title: defaultTitle(year, quarterOf(now)),
        }}
        onValuesChange={(changed, all) => {
          // The title follows year and quarter until the user writes their own.
          if (('year' in changed || 'quarter' in changed) && !form.isFieldTouched('title'))
            form.setFieldValue('title', defaultTitle(all.year, all.quarter));
        }}
      >
        <Space wrap size={16}>
          <Form.Item name="year" label={t('年度', 'Year')} rules={[{ required: true }]}>
            <Select
              style={{ width: 110 }}
              options={[year - 1, year, year + 1].map((y) => ({ value: y, label: t(`${y}年`, String(y)) }))}
            />
          </Form.Item>
          <Form.Item name="quarter" label={t('季度', 'Quarter')} rules={[{ required: true }]}>
            <Select
              style={{ width: 130 }}
              options={[1, 2, 3, 4].map((q) => ({
                value: q,
                label: t(`第${'一二三四'[q - 1]}季度`, `Q${q}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="dueOn" label={t('完成时限', 'Due by')}>
            <Input type="date" min={now} />
          </Form.Item>
        </Space>
        <Form.Item
          name="title"
          label={t('标题', 'Title')}
          rules={[{ required: true, whitespace: true, message: t('请填写标题', 'Give a title') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="orgId"
          label={t('督查范围', 'Scope')}
          extra={t('默认本人所在组织及下级', 'Default: your own organisation and below')}
        >
          <OrgPicker aria-label={t('督查范围', 'Scope')} />
        </Form.Item>
        <Form.Item
          name="pairingIds"
          label={t('计划检查的结对（由我负责，可不选）', 'Pairings to check, by me (optional)')}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            loading={pairings.isPending}
            placeholder={t('输入名称搜索', 'Type to search')}
            options={(pairings.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${p.title}（${p.kindLabel}）`,
            }))}
          />
        </Form.Item>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t(
            '保存后，本轮出现在“督查轮次”中；记录检查时可选择归入本轮。',
            'Once saved, the round shows under "Check rounds"; a check can be filed under it when recorded.',
          )}
        </Typography.Text>
      </Form>
    </Drawer>
  );
}
