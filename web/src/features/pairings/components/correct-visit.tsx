import { EditOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import {
  type OutcomeUnit,
  VISIT_KINDS,
  type VisitKind,
  visitKindsFor,
} from '../../../../../src/domain/pairings.ts';
import { extrasBody, VisitExtras, type VisitExtrasValues } from '../../../components/visit-extras';
import { useUser } from '../../../lib/auth';
import { today } from '../../../lib/format';
import { applyServerErrors } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import type { Register } from '../api/get-register';
import { useCorrectVisit } from '../api/register-writes';

type Visit = Register['visits'][number];

interface Values extends VisitExtrasValues {
  visitedOn: string;
  kind: VisitKind;
  content: string;
}

/** Whether the signed-in user may correct a visit now: its side within 30 days, staff at any time. */
export function useMayCorrect() {
  const me = useUser();
  const staff = me.role === 'county_admin' || me.role === 'committee_staff';
  return (v: Visit) => me.permissions.includes('visit.write') && (staff || today() <= v.correctableUntil);
}

/**
 * 修改走访记录: date, kind, what was done, problems and outcomes. The server keeps the rules (the
 * pairing's span, its kinds, the 30 days) and the audit record; this asks and shows its answer.
 */
export function CorrectVisit({ visit, pairingKind }: { visit: Visit; pairingKind: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [banner, setBanner] = useState<string>();
  const [form] = Form.useForm<Values>();
  const correct = useCorrectVisit(visit.id);
  const kinds = VISIT_KINDS.filter((k) => visitKindsFor(pairingKind).includes(k.code));

  const submit = async (v: Values) => {
    setBanner(undefined);
    const extras = extrasBody(v);
    try {
      await correct.mutateAsync({
        visitedOn: v.visitedOn,
        kind: v.kind,
        content: v.content.trim(),
        problemsFound: extras.problemsFound ?? null,
        problemsSolved: extras.problemsSolved ?? null,
        outcomes: extras.outcomes ?? [],
      });
      message.success(t('走访记录已修改', 'The visit was corrected'));
      setOpen(false);
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    }
  };

  return (
    <>
      <Button
        size="small"
        type="link"
        icon={<EditOutlined />}
        style={{ paddingInline: 0 }}
        aria-label={t(`修改${visit.visitedOn}的走访记录`, `Correct the visit of ${visit.visitedOn}`)}
        onClick={() => setOpen(true)}
      >
        {t('修改', 'Correct')}
      </Button>
      <Modal
        open={open}
        title={t('修改走访记录', 'Correct the visit')}
        okText={t('保存修改', 'Save')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={correct.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            visitedOn: visit.visitedOn,
            kind: visit.kind as VisitKind,
            content: visit.content,
            problemsFound: visit.problemsFound ?? '',
            problemsSolved: visit.problemsSolved ?? '',
            outcomes: visit.outcomes.map((o) => ({
              unit: o.unit as OutcomeUnit,
              amount: o.amount,
              note: o.note ?? '',
            })),
          }}
        >
          <Form.Item name="visitedOn" label={t('日期', 'Date')} rules={[{ required: true }]}>
            <Input type="date" max={today()} />
          </Form.Item>
          <Form.Item name="kind" label={t('活动类型', 'Kind')} rules={[{ required: true }]}>
            <Select options={kinds.map((k) => ({ value: k.code, label: lang === 'en' ? k.en : k.zh }))} />
          </Form.Item>
          <Form.Item
            name="content"
            label={t('做了什么', 'What was done')}
            rules={[
              { required: true, whitespace: true, message: t('请写几句活动内容', 'Write a few words') },
            ]}
          >
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <VisitExtras />
        </Form>
      </Modal>
    </>
  );
}
