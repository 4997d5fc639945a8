import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, Flex, Form, Input, InputNumber, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { MAX_NOTICE_DAYS, MIN_NOTICE_DAYS } from '../../../../src/domain/plan-workflow.ts';
import { CreatePlanInput, PlanTaskInput } from '../../../../src/modules/plans/schemas.ts';
import {
  PlainText,
  type PlanDetail,
  PlanDiff,
  PlanHistory,
  PlanStatusTag,
  PlanTasks,
} from '../../components/plan-view';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { isApiError } from '../../lib/api';
import { useCan } from '../../lib/auth';
import { applyServerErrors, zodRule } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';
import { createPlan, transitionPlan, updatePlan, useInvalidatePlan, usePlan } from './api/plans';

interface TaskValues {
  what?: string;
  target?: string;
  dueOn?: string;
}
interface Values {
  title?: string;
  content?: string;
  tasks?: TaskValues[];
  noticeDays?: number;
}

const REVIEW_ACTIONS = new Set(['review', 'approve', 'return', 'publish']);
const NOT_SUBMITTER = (t: (zh: string, en: string) => string) =>
  t(
    '提交审查须由结对责任人或上级党(工)委办理。',
    'The person responsible for the pairing, or the committee above, submits it for review.',
  );

/**
 * The draft form of a plan (方案): text, tasks (what, target, due), notice days; saves a draft or
 * saves and submits it for review. Used to draft a new plan and to edit one sent back.
 */
function PlanForm({
  pairingId,
  year,
  defaultTitle,
  plan,
  onDone,
}: {
  pairingId: number;
  year: number;
  defaultTitle: string;
  plan?: PlanDetail;
  onDone: () => void;
}) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState<'save' | 'submit'>();
  const invalidate = useInvalidatePlan();
  // A new draft may turn out not to be mine to submit; the server says so once it exists.
  const mayAlsoSubmit = !plan || plan.availableActions.some((a) => a.action === 'submit');

  const initial: Values = plan
    ? {
        title: plan.title,
        content: plan.content,
        tasks: plan.tasks.map((x) => ({ what: x.what, target: x.target ?? '', dueOn: x.dueOn ?? '' })),
        noticeDays: plan.noticeDays,
      }
    : { tasks: [{}], noticeDays: 5 };

  const save = async (values: Values, submit: boolean) => {
    setBanner(undefined);
    setBusy(submit ? 'submit' : 'save');
    const tasks = (values.tasks ?? [])
      .filter((x) => x.what?.trim() || x.target?.trim() || x.dueOn)
      .map((x) => ({ what: x.what?.trim() ?? '', target: x.target?.trim() || null, dueOn: x.dueOn || null }));
    const title = values.title?.trim() || undefined;
    try {
      let saved = plan
        ? await updatePlan(plan.id, {
            version: plan.version,
            ...(title && { title }),
            content: values.content ?? '',
            tasks,
            noticeDays: values.noticeDays ?? plan.noticeDays,
          })
        : await createPlan({
            pairingId,
            year,
            ...(title && { title }),
            content: values.content ?? '',
            tasks,
            noticeDays: values.noticeDays ?? 5,
          });
      invalidate(saved);
      if (submit && !saved.availableActions.some((a) => a.action === 'submit')) {
        // Drafting is open to the helper's branch; submitting is the responsible person's (or the committee's).
        message.info(`${t('草稿已保存。', 'Draft saved. ')}${NOT_SUBMITTER(t)}`);
        onDone();
        return;
      }
      if (submit) {
        saved = await transitionPlan(saved.id, { action: 'submit', version: saved.version });
        invalidate(saved);
      }
      message.success(
        submit ? t('方案已提交审查', 'The plan was submitted for review') : t('草稿已保存', 'Draft saved'),
      );
      onDone();
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => save(v, false)}
      disabled={!!busy}
      scrollToFirstError
    >
      {banner && <Alert type="error" showIcon title={banner} style={{ marginBottom: 16 }} role="alert" />}
      <Form.Item
        name="title"
        label={t('方案标题（可不填）', 'Title (optional)')}
        rules={[zodRule(CreatePlanInput.shape.title)]}
      >
        <Input placeholder={defaultTitle} maxLength={200} />
      </Form.Item>
      <Form.Item
        name="content"
        label={t('方案内容', 'What the plan says')}
        rules={[
          { required: true, whitespace: true, message: t('请填写方案内容', 'Write what the plan says') },
          zodRule(CreatePlanInput.shape.content),
        ]}
      >
        <Input.TextArea autoSize={{ minRows: 4, maxRows: 16 }} maxLength={20000} />
      </Form.Item>
      <Typography.Text strong>{t('任务（卡册任务）', 'Tasks (card and register)')}</Typography.Text>
      <Form.List name="tasks">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8} style={{ margin: '8px 0 16px' }}>
            {fields.map((field, i) => (
              <Card
                key={field.key}
                size="small"
                title={t(`任务${i + 1}`, `Task ${i + 1}`)}
                extra={
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t(`删除任务${i + 1}`, `Remove task ${i + 1}`)}
                    onClick={() => remove(field.name)}
                  />
                }
              >
                <Form.Item
                  name={[field.name, 'what']}
                  label={t('任务内容', 'What')}
                  rules={[
                    {
                      required: true,
                      whitespace: true,
                      message: t('请填写任务内容', 'Say what the task is'),
                    },
                    zodRule(PlanTaskInput.shape.what),
                  ]}
                >
                  <Input maxLength={500} />
                </Form.Item>
                <Flex wrap gap={12}>
                  <Form.Item
                    name={[field.name, 'target']}
                    label={t('目标', 'Target')}
                    style={{ flex: '2 1 200px', marginBottom: 0 }}
                    rules={[zodRule(PlanTaskInput.shape.target)]}
                  >
                    <Input maxLength={500} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'dueOn']}
                    label={t('完成时限', 'Due')}
                    style={{ flex: '1 1 150px', marginBottom: 0 }}
                    rules={[zodRule(PlanTaskInput.shape.dueOn)]}
                  >
                    <Input type="date" min={`${year}-01-01`} max={`${year}-12-31`} />
                  </Form.Item>
                </Flex>
              </Card>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
              {t('添加任务', 'Add a task')}
            </Button>
          </Flex>
        )}
      </Form.List>
      <Form.Item
        name="noticeDays"
        label={t('公示期（工作日）', 'Public notice (working days)')}
        extra={t(`至少${MIN_NOTICE_DAYS}个工作日`, `${MIN_NOTICE_DAYS} working days at least`)}
        rules={[
          {
            // No min/max on the input: it would silently round 0 up; the rule says what is wrong.
            validator: async (_: unknown, v: number | null | undefined) => {
              if (v == null || (Number.isInteger(v) && v >= MIN_NOTICE_DAYS && v <= MAX_NOTICE_DAYS)) return;
              throw new Error(
                t(
                  `公示期须为${MIN_NOTICE_DAYS}至${MAX_NOTICE_DAYS}个工作日`,
                  `The notice must run ${MIN_NOTICE_DAYS} to ${MAX_NOTICE_DAYS} working days`,
                ),
              );
            },
          },
        ]}
      >
        <InputNumber precision={0} style={{ width: 120 }} />
      </Form.Item>
      <Flex wrap gap={8}>
        {mayAlsoSubmit && (
          <Button
            type="primary"
            loading={busy === 'submit'}
            onClick={() =>
              form
                .validateFields()
                .then((v) => save(v, true))
                .catch(() => {})
            }
          >
            {t('保存并提交审查', 'Save and submit for review')}
          </Button>
        )}
        <Button htmlType="submit" type={mayAlsoSubmit ? 'default' : 'primary'} loading={busy === 'save'}>
          {t('保存草稿', 'Save draft')}
        </Button>
        <Button type="text" onClick={onDone}>
          {t('取消', 'Cancel')}
        </Button>
      </Flex>
    </Form>
  );
}

/** A plan as its drafter sees it: the text, tasks and history; edit and submit while it is a draft. */
function PlanView({
  plan,
  defaultTitle,
  onEdit,
}: {
  plan: PlanDetail;
  defaultTitle: string;
  onEdit: () => void;
}) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const invalidate = useInvalidatePlan();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const mayReview = plan.availableActions.some((a) => REVIEW_ACTIONS.has(a.action));
  const maySubmit = plan.availableActions.some((a) => a.action === 'submit');
  const returned = plan.status === 'draft' && plan.lastReturnReason;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      invalidate(await transitionPlan(plan.id, { action: 'submit', version: plan.version }));
      message.success(t('方案已提交审查', 'The plan was submitted for review'));
    } catch (e) {
      setError(e);
      if (isApiError(e) && e.status === 409) void qc.invalidateQueries({ queryKey: ['plans', plan.id] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Flex wrap gap={8} align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong style={{ fontSize: 16, wordBreak: 'break-word' }}>
          {plan.title || defaultTitle}
        </Typography.Text>
        <PlanStatusTag status={plan.status} label={plan.statusLabel} />
      </Flex>
      {plan.noticeStartsOn && (
        <Typography.Paragraph type="secondary">
          {t('公示期', 'Public notice')}：{plan.noticeStartsOn} {t('至', 'to')} {plan.noticeEndsOn}
          {plan.inForceOn && ` · ${t('生效日期', 'In force from')}：${plan.inForceOn}`}
        </Typography.Paragraph>
      )}
      {returned && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('方案已被退回，请修改后重新提交', 'The plan was sent back: edit it and submit again')}
          description={`${t('退回理由', 'Reason')}：${plan.lastReturnReason}`}
        />
      )}
      {error !== undefined && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={isApiError(error) ? error.text(lang) : t('出错了，请重试', 'Something went wrong')}
        />
      )}
      {plan.canEdit && !maySubmit && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={NOT_SUBMITTER(t)} />
      )}
      {(plan.canEdit || maySubmit || mayReview) && (
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          {plan.canEdit && <Button onClick={onEdit}>{t('修改方案', 'Edit the plan')}</Button>}
          {maySubmit && (
            <Button type="primary" loading={busy} onClick={submit}>
              {t('提交审查', 'Submit for review')}
            </Button>
          )}
          {mayReview && (
            <Button type="primary" onClick={() => navigate(`/reviews/${plan.id}`)}>
              {t('去审核', 'Review it')}
            </Button>
          )}
        </Flex>
      )}
      <PlainText style={{ marginBottom: 16 }}>{plan.content}</PlainText>
      <Typography.Title level={5}>{t('任务', 'Tasks')}</Typography.Title>
      <PlanTasks tasks={plan.tasks} />
      <Collapse
        style={{ marginTop: 16 }}
        size="small"
        items={[
          ...(returned && plan.diff
            ? [
                {
                  key: 'diff',
                  label: t('退回以来的修改', 'Changes since it was sent back'),
                  children: <PlanDiff diff={plan.diff} />,
                },
              ]
            : []),
          {
            key: 'history',
            label: t(`流程记录（${plan.events.length}）`, `History (${plan.events.length})`),
            children: <PlanHistory events={plan.events} />,
          },
        ]}
      />
    </div>
  );
}

/**
 * The pairing's plan for the year on the pairing page: none yet (draft one, if allowed), a draft
 * (edit, submit; the reason shows when it was sent back), or on its way and in force.
 */
export function PlanEditor({
  pairingId,
  year,
  planId,
  planName,
  defaultTitle,
}: {
  pairingId: number;
  year: number;
  planId: number | undefined;
  planName: string;
  defaultTitle: string;
}) {
  const { t } = useI18n();
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const plan = usePlan(planId);

  if (planId === undefined) {
    if (editing)
      return (
        <PlanForm
          pairingId={pairingId}
          year={year}
          defaultTitle={defaultTitle}
          onDone={() => setEditing(false)}
        />
      );
    return (
      <Flex vertical align="center" gap={8}>
        <EmptyState text={t(`${year}年度尚未制定${planName}`, `No plan for ${year} yet`)} />
        {can('plan.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(true)}>
            {t(`起草${planName}`, 'Draft the plan')}
          </Button>
        )}
      </Flex>
    );
  }
  if (plan.isPending) return <Loading />;
  if (plan.isError) return <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />;
  if (editing && plan.data.canEdit)
    return (
      <PlanForm
        pairingId={pairingId}
        year={year}
        defaultTitle={defaultTitle}
        plan={plan.data}
        onDone={() => setEditing(false)}
      />
    );
  return <PlanView plan={plan.data} defaultTitle={defaultTitle} onEdit={() => setEditing(true)} />;
}
