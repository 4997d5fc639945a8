import { Alert, App, Button, Card, Flex, Form, Input, Radio, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { SIGNOFF_PARTIES, SignoffInput } from '../../../../../src/modules/cards/schemas.ts';
import { EmptyState } from '../../../components/states';
import { useCan } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import { applyServerErrors, zodRule } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import type { Register } from '../api/get-register';
import { useSignOff } from '../api/register-writes';

const OPINIONS = [
  { code: 'satisfied', zh: '满意', en: 'Satisfied' },
  { code: 'basically_satisfied', zh: '基本满意', en: 'Basically satisfied' },
  { code: 'unsatisfied', zh: '不满意', en: 'Unsatisfied' },
] as const;
const OPINION_COLOR: Record<string, string> = {
  satisfied: 'success',
  basically_satisfied: 'processing',
  unsatisfied: 'error',
};

interface Values {
  party?: 'helped' | 'helped_branch';
  opinion?: (typeof OPINIONS)[number]['code'];
  comment?: string;
}

/**
 * The year-end sign-off (年末签署意见): the helped party and its branch each give an opinion; when
 * both have, the year is closed (only the county amends it, with a reason). The server decides who
 * signs for whom and says so next to the party.
 */
export function Signoffs({ register }: { register: Register }) {
  const { lang, t } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const sign = useSignOff(register.pairing.id);
  // Only the parties the server says this user may sign for now (a helper never sees the helped's form).
  const open = SIGNOFF_PARTIES.filter((p) => register.signableParties.includes(p.code));
  const maySign = can('signoff.write') && !register.closed && open.length > 0;

  const submit = async (v: Values) => {
    setBanner(undefined);
    try {
      const r = await sign.mutateAsync({
        year: register.year,
        party: v.party!,
        opinion: v.opinion!,
        ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}),
      });
      form.resetFields();
      message.success(
        r.closed
          ? t('双方均已签署，本年度已办结', 'Both have signed: the year is closed')
          : t('意见已签署', 'The opinion was recorded'),
      );
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    }
  };

  return (
    <Flex vertical gap={12}>
      {register.closed && (
        <Alert
          type="success"
          showIcon
          title={t(
            `${register.year}年度双方均已签署意见，已办结`,
            `Both have signed for ${register.year}: the year is closed`,
          )}
        />
      )}
      {register.signoffs.length === 0 && !maySign && (
        <EmptyState text={t('尚未签署年末意见', 'No year-end opinion yet')} />
      )}
      {register.signoffs.map((s) => (
        <Card key={s.party} size="small">
          <Flex wrap gap={8} align="center">
            <Typography.Text strong>{s.partyLabel}</Typography.Text>
            <Tag color={OPINION_COLOR[s.opinion]}>{s.opinionLabel}</Tag>
            {s.onBehalf && <Tag>{t('代为录入', 'Recorded on their behalf')}</Tag>}
          </Flex>
          {s.comment && <div style={{ whiteSpace: 'pre-wrap', marginTop: 4 }}>{s.comment}</div>}
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {s.recordedByName} · {formatDateTime(s.recordedAt)}
            {s.amendedReason && ` · ${t('县委组织部更正', 'Amended by the county')}：${s.amendedReason}`}
          </Typography.Text>
        </Card>
      ))}
      {maySign && (
        <Card size="small" title={t(`签署${register.year}年度意见`, `Sign off ${register.year}`)}>
          {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
          <Form<Values>
            form={form}
            layout="vertical"
            onFinish={submit}
            disabled={sign.isPending}
            initialValues={{ party: open[0]?.code }}
          >
            <Form.Item
              name="party"
              label={t('签署方', 'Who signs')}
              rules={[{ required: true, message: t('请选择签署方', 'Choose who signs') }]}
            >
              <Select options={open.map((p) => ({ value: p.code, label: t(p.zh, p.en) }))} />
            </Form.Item>
            <Form.Item
              name="opinion"
              label={t('意见', 'Opinion')}
              rules={[{ required: true, message: t('请选择意见', 'Choose an opinion') }]}
            >
              <Radio.Group
                options={OPINIONS.map((o) => ({ value: o.code, label: t(o.zh, o.en) }))}
                optionType="button"
              />
            </Form.Item>
            <Form.Item
              name="comment"
              label={t('说明（可不填）', 'Comment (optional)')}
              rules={[zodRule(SignoffInput.shape.comment)]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} />
            </Form.Item>
            <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
              {t(
                '双方均签署后本年度即办结，此后只能由县委组织部说明理由后更正。',
                'Once both have signed the year is closed; after that only the county amends it, with a reason.',
              )}
            </Typography.Paragraph>
            <Button type="primary" htmlType="submit" loading={sign.isPending}>
              {t('签署意见', 'Sign')}
            </Button>
          </Form>
        </Card>
      )}
    </Flex>
  );
}
