import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { DECISION_KINDS } from '../../../../../src/domain/assessment.ts';
import { DecisionInput } from '../../../../../src/modules/assessment/schemas.ts';
import { api } from '../../../lib/api';
import { applyServerErrors, zodRule } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import type { Decision, Level, ResultItem } from './api';

/** What may be proposed about a result, by its level: a member's grade, or an honour of an organisation. */
export const KINDS_BY_LEVEL: Record<Level, string[]> = {
  pairing: [],
  helper: ['democratic_evaluation'],
  branch: ['five_good_village', 'demonstration_point', 'star_rating'],
  township: ['five_good_township', 'demonstration_point', 'star_rating'],
};

interface Values {
  kind: string;
  value: string;
  reason: string;
}

/**
 * Records a proposal about one result: a 民主评议 grade for a helper, or an honour (示范点, 五好, star
 * rating) for a branch or township, with a reason. A person's proposal, kept for the county's own
 * procedures; the system applies nothing.
 */
export function DecisionForm({
  target,
  year,
  runId,
  onDone,
}: {
  target: ResultItem | null;
  year: number;
  runId: number | undefined;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const level = (target?.level ?? 'pairing') as Level;
  const kinds = DECISION_KINDS.filter((k) => KINDS_BY_LEVEL[level].includes(k.code)).sort(
    (a, b) => KINDS_BY_LEVEL[level].indexOf(a.code) - KINDS_BY_LEVEL[level].indexOf(b.code),
  );
  const kind = Form.useWatch('kind', form);
  const values = DECISION_KINDS.find((k) => k.code === kind)?.values ?? [];
  const L = (c: { zh: string; en: string }) => (lang === 'en' ? c.en : c.zh);

  useEffect(() => {
    if (!target) return;
    setBanner(undefined);
    form.resetFields();
    form.setFieldsValue({ kind: KINDS_BY_LEVEL[target.level as Level]?.[0] });
  }, [target, form]);

  const submit = async (v: Values) => {
    if (!target) return;
    setBusy(true);
    setBanner(undefined);
    const body = {
      year,
      kind: v.kind,
      ...(target.level === 'helper' ? { memberId: target.id } : { orgId: target.id }),
      value: v.value,
      reason: v.reason.trim(),
      ...(runId ? { runId } : {}),
    };
    try {
      await api.post<Decision>('/api/assessment/decisions', body);
      message.success(t('建议已记录（不自动执行）', 'Proposal recorded (not applied)'));
      await qc.invalidateQueries({ queryKey: ['assessment', 'decisions'] });
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
      title={t('记录评议、评选建议', 'Record a proposal')}
      onCancel={onDone}
      onOk={() => form.submit()}
      okText={t('记录', 'Record')}
      cancelText={t('取消', 'Cancel')}
      confirmLoading={busy}
      destroyOnHidden
    >
      {target && (
        <Typography.Paragraph>
          <Typography.Text strong>{target.name}</Typography.Text>
          {target.orgName && target.orgName !== target.name ? (
            <Typography.Text type="secondary">（{target.orgName}）</Typography.Text>
          ) : null}
          <br />
          <Typography.Text type="secondary">
            {target.score === null
              ? t('本次考评未评定', 'Not scored in this run')
              : t(
                  `考评得分 ${target.score}，${target.bandLabel ?? ''}`,
                  `Score ${target.score}, ${target.bandLabel ?? ''}`,
                )}
          </Typography.Text>
        </Typography.Paragraph>
      )}
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={t(
          '这里记录的是由人提出的建议，作为民主评议和评选表彰的参考，系统不会自动执行。',
          'A proposal made by a person, an input to the evaluation or the award; the system never applies it.',
        )}
      />
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={submit} disabled={busy}>
        <Form.Item
          name="kind"
          label={t('类型', 'Kind')}
          rules={[{ required: true, message: t('请选择类型', 'Pick the kind') }]}
        >
          <Select
            options={kinds.map((k) => ({ value: k.code, label: L(k) }))}
            onChange={() => form.setFieldValue('value', undefined)}
          />
        </Form.Item>
        <Form.Item
          name="value"
          label={t('建议', 'Proposed')}
          rules={[{ required: true, message: t('请选择建议', 'Pick what you propose') }]}
        >
          <Select options={values.map((x) => ({ value: x.code, label: L(x) }))} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('理由（必填）', 'Reason (required)')}
          rules={[
            { required: true, whitespace: true, message: t('请写明理由', 'Give the reason') },
            zodRule(DecisionInput.shape.reason),
          ]}
        >
          <Input.TextArea rows={4} maxLength={1000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
