import { Alert, App, Button, Card, Flex, Form, Input, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { CHECK_STATUSES } from '../../../../../src/modules/cards/schemas.ts';
import { EmptyState } from '../../../components/states';
import { useCan } from '../../../lib/auth';
import { formatDateTime } from '../../../lib/format';
import { applyServerErrors } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import type { Register } from '../api/get-register';
import { useRecordChecks } from '../api/register-writes';

const CHECKABLE = new Set(['approved', 'in_notice', 'in_force']);
const STATUS_COLOR: Record<string, string> = {
  done: 'success',
  in_progress: 'processing',
  not_started: 'default',
  behind: 'error',
};

interface Values {
  items?: { status?: string; comment?: string }[];
}

/**
 * The mid-year check (年中督促检查): task by task, a status and a comment. The county and the
 * committees record it once the county has approved the plan; everyone else reads the latest check.
 */
export function MidyearCheck({ register }: { register: Register }) {
  const { lang, t } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const plan = register.plan;
  const record = useRecordChecks(register.pairing.id, plan?.id ?? 0);
  const statusLabel = (code: string) => {
    const s = CHECK_STATUSES.find((x) => x.code === code);
    return s ? t(s.zh, s.en) : code;
  };

  if (!plan || register.tasks.length === 0)
    return (
      <EmptyState text={t('方案及任务确定后进行年中检查', 'The check follows once the plan has tasks')} />
    );
  const mayCheck = can('check.write') && CHECKABLE.has(plan.status) && !register.closed;

  const latest = (
    <Flex vertical gap={8}>
      {register.tasks.map((task) => (
        <Card key={task.id} size="small">
          <div style={{ wordBreak: 'break-word' }}>
            {task.seq}. {task.what}
          </div>
          {task.latestCheck ? (
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              <Tag color={STATUS_COLOR[task.latestCheck.status]}>{statusLabel(task.latestCheck.status)}</Tag>
              {task.latestCheck.comment && `${task.latestCheck.comment} · `}
              {task.latestCheck.checkedByName} {formatDateTime(task.latestCheck.checkedAt)}
            </Typography.Text>
          ) : (
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {t('尚未检查', 'Not checked yet')}
            </Typography.Text>
          )}
        </Card>
      ))}
    </Flex>
  );
  if (!mayCheck) {
    return (
      <>
        {can('check.write') && !CHECKABLE.has(plan.status) && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('方案经县委组织部审定后才能检查', 'The plan is checked once the county has approved it')}
          />
        )}
        {latest}
      </>
    );
  }

  const submit = async (v: Values) => {
    setBanner(undefined);
    // Only the fields with a Form.Item come back: the task is known by its place in the list.
    const items = (v.items ?? [])
      .map((x, i) => ({ ...x, taskId: register.tasks[i]!.id }))
      .filter((x) => x.status)
      .map((x) => ({
        taskId: x.taskId,
        status: x.status as 'done',
        ...(x.comment?.trim() ? { comment: x.comment.trim() } : {}),
      }));
    if (!items.length) {
      setBanner(t('请至少为一项任务选择进度', 'Choose the status of at least one task'));
      return;
    }
    try {
      await record.mutateAsync({ items });
      message.success(t('年中检查已记录', 'The mid-year check was recorded'));
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={submit}
      disabled={record.isPending}
      initialValues={{
        items: register.tasks.map((x) => ({
          status: x.latestCheck?.status,
          comment: x.latestCheck?.comment ?? '',
        })),
      }}
    >
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
      <Form.List name="items">
        {(fields) =>
          fields.map((field, i) => {
            const task = register.tasks[i]!;
            return (
              <Card key={field.key} size="small" style={{ marginBottom: 8 }}>
                <div style={{ wordBreak: 'break-word', marginBottom: 8 }}>
                  {task.seq}. {task.what}
                  {task.target && (
                    <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                      {' '}
                      （{t('目标', 'Target')}：{task.target}）
                    </Typography.Text>
                  )}
                </div>
                <Flex wrap gap={8}>
                  <Form.Item
                    name={[field.name, 'status']}
                    label={t('进度', 'Status')}
                    style={{ flex: '1 1 140px', marginBottom: 0 }}
                  >
                    <Select
                      placeholder={t('请选择', 'Choose')}
                      options={CHECK_STATUSES.map((s) => ({ value: s.code, label: t(s.zh, s.en) }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'comment']}
                    label={t('检查意见', 'Comment')}
                    style={{ flex: '3 1 220px', marginBottom: 0 }}
                  >
                    <Input maxLength={1000} />
                  </Form.Item>
                </Flex>
              </Card>
            );
          })
        }
      </Form.List>
      <Button type="primary" htmlType="submit" loading={record.isPending}>
        {t('保存年中检查', 'Save the mid-year check')}
      </Button>
    </Form>
  );
}
