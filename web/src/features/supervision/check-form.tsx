import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { CONCLUSIONS, METHODS } from '../../../../src/modules/inspections/schemas.ts';
import { OrgPicker } from '../../components/org-picker';
import { api } from '../../lib/api';
import { daysFromToday, today } from '../../lib/format';
import { applyServerErrors } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';
import { type Check, type Round, usePairingChoices } from './api';

interface Problem {
  problem: string;
  ownerOrgId: number;
  ownerName?: string;
  dueOn: string;
}
interface Values {
  roundId?: number;
  target: 'pairing' | 'org';
  pairingId?: number;
  orgId?: number;
  method: string;
  checkedOn: string;
  conclusion: string;
  findings?: string;
  problems: Problem[];
}

/**
 * Records a check (or completes a planned one): how, when, what it concluded, and each problem as a
 * rectification with an owner and a due date. All in one request: nothing is half saved.
 */
export function CheckForm({
  open,
  planned,
  onClose,
  rounds = [],
}: {
  open: boolean;
  planned: Check | null;
  onClose: () => void;
  /** The year's rounds, so a new check is filed under one (the quarter's, by default). */
  rounds?: Round[];
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const target = Form.useWatch('target', form);
  const conclusion = Form.useWatch('conclusion', form);
  const pairings = usePairingChoices(open && !planned);

  // The round of this quarter, latest first, is where a new check most likely belongs.
  const quarter = Math.floor((Number(today().slice(5, 7)) - 1) / 3) + 1;
  const currentRound = [...rounds]
    .reverse()
    .find((r) => r.quarter === quarter && r.year === Number(today().slice(0, 4)));

  const submit = async (v: Values) => {
    setBusy(true);
    setBanner(undefined);
    const result = {
      method: v.method,
      checkedOn: v.checkedOn,
      conclusion: v.conclusion,
      ...(v.findings ? { findings: v.findings } : {}),
      problems: (v.problems ?? []).map((p) => ({ ...p, ...(p.ownerName ? {} : { ownerName: undefined }) })),
    };
    try {
      if (planned) await api.post(`/api/inspections/${planned.id}/complete`, result);
      else
        await api.post('/api/inspections', {
          ...(v.roundId ? { roundId: v.roundId } : {}),
          ...(v.target === 'pairing' ? { pairingId: v.pairingId } : { orgId: v.orgId }),
          ...result,
        });
      message.success(t('检查已记录', 'Check recorded'));
      await qc.invalidateQueries({ queryKey: ['inspections'] });
      await qc.invalidateQueries({ queryKey: ['inspection-rounds'] });
      await qc.invalidateQueries({ queryKey: ['rectifications'] });
      form.resetFields();
      onClose();
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setBusy(false);
    }
  };

  const L = (c: { zh: string; en: string }) => (lang === 'en' ? c.en : c.zh);
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={
        planned
          ? t(`完成检查：${planned.target.name ?? ''}`, `Complete: ${planned.target.name ?? ''}`)
          : t('记录一次督查', 'Record a check')
      }
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
          roundId: currentRound?.id,
          target: 'pairing',
          method: 'on_site',
          checkedOn: today(),
          conclusion: 'good',
          problems: [],
        }}
      >
        {!planned && (
          <>
            {rounds.length > 0 && (
              <Form.Item name="roundId" label={t('所属督查轮次', 'Round')}>
                <Select
                  allowClear
                  placeholder={t('不归入轮次', 'No round')}
                  options={rounds.map((r) => ({ value: r.id, label: r.title }))}
                />
              </Form.Item>
            )}
            <Form.Item name="target" label={t('检查对象', 'What is checked')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'pairing', label: t('结对', 'A pairing') },
                  { value: 'org', label: t('党组织', 'An organisation') },
                ]}
              />
            </Form.Item>
            {target === 'org' ? (
              <Form.Item
                name="orgId"
                label={t('党组织', 'Organisation')}
                rules={[{ required: true, message: t('请选择党组织', 'Pick the organisation') }]}
              >
                <OrgPicker aria-label={t('党组织', 'Organisation')} />
              </Form.Item>
            ) : (
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
            )}
          </>
        )}
        <Space wrap size={16}>
          <Form.Item name="method" label={t('检查方式', 'Method')} rules={[{ required: true }]}>
            <Select style={{ width: 140 }} options={METHODS.map((m) => ({ value: m.code, label: L(m) }))} />
          </Form.Item>
          <Form.Item name="checkedOn" label={t('检查日期', 'Date')} rules={[{ required: true }]}>
            <Input type="date" max={today()} />
          </Form.Item>
          <Form.Item name="conclusion" label={t('结论', 'Conclusion')} rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              options={CONCLUSIONS.map((c) => ({ value: c.code, label: L(c) }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="findings" label={t('检查情况', 'Findings')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Typography.Text strong>
          {t('发现的问题及整改要求', 'Problems and their rectification')}
        </Typography.Text>
        {conclusion === 'problems' && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t(
              '结论为“存在问题”时，请逐条列出问题，指定责任单位和整改期限。',
              'List each problem with the organisation that must put it right and a due date.',
            )}
          </Typography.Paragraph>
        )}
        <Form.List name="problems">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <div
                  key={f.key}
                  style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 12, margin: '8px 0' }}
                >
                  <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                    <Typography.Text type="secondary">
                      {t(`问题${i + 1}`, `Problem ${i + 1}`)}
                    </Typography.Text>
                    <Button
                      type="text"
                      danger
                      icon={<MinusCircleOutlined />}
                      aria-label={t('删除此问题', 'Remove this problem')}
                      onClick={() => remove(f.name)}
                    />
                  </Space>
                  <Form.Item
                    name={[f.name, 'problem']}
                    label={t('问题', 'Problem')}
                    rules={[{ required: true, message: t('请描述问题', 'Describe the problem') }]}
                  >
                    <Input.TextArea rows={2} maxLength={1000} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'ownerOrgId']}
                    label={t('责任单位', 'Owner')}
                    rules={[{ required: true, message: t('请选择责任单位', 'Pick the owner') }]}
                  >
                    <OrgPicker aria-label={t('责任单位', 'Owner')} />
                  </Form.Item>
                  <Space wrap>
                    <Form.Item name={[f.name, 'ownerName']} label={t('责任人（可选）', 'Person (optional)')}>
                      <Input maxLength={50} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'dueOn']}
                      label={t('整改期限', 'Due')}
                      rules={[{ required: true }]}
                    >
                      <Input type="date" min={today()} />
                    </Form.Item>
                  </Space>
                </div>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                onClick={() => add({ problem: '', dueOn: daysFromToday(30) })}
              >
                {t('添加问题', 'Add a problem')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
