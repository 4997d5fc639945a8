import { Alert, App, Button, Card, Flex, Form, Input, Select, Typography } from 'antd';
import { useState } from 'react';
import { NoteInput } from '../../../../../src/modules/cards/schemas.ts';
import { EmptyState } from '../../../components/states';
import { useCan, useUser } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import { applyServerErrors, zodRule } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import type { Register } from '../api/get-register';
import { useAddNote } from '../api/register-writes';

interface Values {
  taskId?: number;
  text?: string;
}

/** The register's progress notes (进展情况), and a note to add for those who keep the register. */
export function RegisterNotes({ register }: { register: Register }) {
  const { lang, t } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const me = useUser();
  const p = register.pairing;
  // The register is the helping side's (帮扶方); the server has the last word, this only spares the
  // helped side's secretary or member a form they cannot send.
  const helperSide =
    me.role === 'member'
      ? me.memberId !== null && (p.helper.memberId === me.memberId || p.responsibleMemberId === me.memberId)
      : me.role === 'branch_secretary'
        ? p.helper.orgId === me.orgId || (me.memberId !== null && p.helper.memberId === me.memberId)
        : true;
  const mayWrite = can('visit.write') && helperSide && !register.closed;
  const add = useAddNote(p.id);

  const submit = async (v: Values) => {
    setBanner(undefined);
    try {
      await add.mutateAsync({
        text: v.text ?? '',
        ...(v.taskId ? { taskId: v.taskId } : { year: register.year }),
      });
      form.resetFields();
      message.success(t('进展已记入帮扶册', 'The note was added to the register'));
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    }
  };

  return (
    <Flex vertical gap={12}>
      {mayWrite && (
        <Card size="small" title={t('记录进展', 'Add a progress note')}>
          {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
          <Form<Values> form={form} layout="vertical" onFinish={submit} disabled={add.isPending}>
            {register.tasks.length > 0 && (
              <Form.Item name="taskId" label={t('所涉任务（可不选）', 'Task (optional)')}>
                <Select<number>
                  allowClear
                  placeholder={t('整体进展', 'The pairing as a whole')}
                  options={register.tasks.map((x) => ({ value: x.id, label: `${x.seq}. ${x.what}` }))}
                />
              </Form.Item>
            )}
            <Form.Item
              name="text"
              label={t('进展情况', 'Progress')}
              rules={[
                { required: true, whitespace: true, message: t('请填写进展情况', 'Write the progress') },
                zodRule(NoteInput.shape.text),
              ]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={add.isPending}>
              {t('记入帮扶册', 'Add to the register')}
            </Button>
          </Form>
        </Card>
      )}
      {register.notes.length === 0 ? (
        <EmptyState text={t('帮扶册中尚无进展记录', 'No progress notes yet')} />
      ) : (
        [...register.notes]
          .sort((a, b) => b.writtenAt.localeCompare(a.writtenAt))
          .map((n) => (
            <Card key={n.id} size="small">
              <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{n.text}</div>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {n.taskSeq ? `${t('任务', 'Task')}${n.taskSeq} · ` : ''}
                {n.writtenByName ?? ''} · {formatDateTime(n.writtenAt)}
              </Typography.Text>
            </Card>
          ))
      )}
    </Flex>
  );
}
