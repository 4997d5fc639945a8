import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, Row, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import {
  PlainText,
  type PlanDetail,
  PlanDiff,
  PlanHistory,
  PlanStatusTag,
  PlanTasks,
} from '../../components/plan-view';
import { ErrorState, Loading } from '../../components/states';
import { applyServerErrors } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';
import { usePlan, useTransitionPlan } from './api/plans';

/** The workflow allows at most this many characters of reason (src/domain/plan-workflow.ts). */
const MAX_REASON = 500;

const ACTION_EN: Record<string, string> = {
  submit: 'Submit',
  review: 'Pass review',
  approve: 'Approve',
  publish: 'Open the public notice',
  return: 'Send back',
};
const DONE: Record<string, [string, string]> = {
  submit: ['已提交审查', 'Submitted for review'],
  review: ['已审查通过，转县委组织部审定', 'Reviewed: on to the county for approval'],
  approve: ['已审定通过，进入公示', 'Approved: the public notice is open'],
  publish: ['已发布公示', 'The public notice is open'],
  return: ['已退回修改', 'Sent back for changes'],
};

interface Values {
  reason?: string;
}

/** The decision: pass (审查/审定) with an optional comment, or send back with a reason that must be given. */
function Decision({ plan }: { plan: PlanDetail }) {
  const { lang, t } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [acting, setActing] = useState<string>();
  const act = useTransitionPlan(plan.id);
  // The reviewer's panel decides; submitting is the drafting side's, on the pairing's plan page.
  const actions = plan.availableActions.filter((a) => a.action !== 'submit');
  const mayReturn = actions.some((a) => a.action === 'return');
  const passes = actions.filter((a) => a.action !== 'return');

  if (!actions.length) {
    return (
      <Typography.Text type="secondary">
        {plan.status === 'submitted' || plan.status === 'reviewed'
          ? t('该方案不由您处理', 'This plan is not for you to decide')
          : t('该方案当前无需审核', 'Nothing to decide on this plan now')}
      </Typography.Text>
    );
  }

  const run = async (action: string) => {
    setBanner(undefined);
    const reason = (form.getFieldValue('reason') as string | undefined)?.trim() ?? '';
    if (action === 'return' && !reason) {
      form.setFields([
        { name: 'reason', errors: [t('退回须说明理由', 'Give the reason for sending it back')] },
      ]);
      form.getFieldInstance('reason')?.focus?.();
      return;
    }
    if ([...reason].length > MAX_REASON) {
      form.setFields([
        { name: 'reason', errors: [t(`理由不超过${MAX_REASON}字`, `At most ${MAX_REASON} characters`)] },
      ]);
      return;
    }
    if (action === 'approve' || action === 'publish') {
      // Approval puts the plan before the public at once: ask, and say for how long.
      const confirmed = await modal.confirm({
        title: t('审定通过并公示？', 'Approve and open the public notice?'),
        content: t(
          `方案将立即公示${plan.noticeDays}个工作日，期间群众可在公示页提出意见；公示期满无异议即生效。`,
          `The plan goes on public notice at once for ${plan.noticeDays} working days; the public may comment, and it takes effect when the notice ends.`,
        ),
        okText: t('审定并公示', 'Approve and publish'),
        cancelText: t('取消', 'Cancel'),
      });
      if (!confirmed) return;
    }
    setActing(action);
    try {
      await act.mutateAsync({
        action: action as 'review',
        version: plan.version,
        ...(reason ? { reason } : {}),
      });
      form.resetFields();
      const done = DONE[action];
      message.success(done ? t(done[0], done[1]) : t('已完成', 'Done'));
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setActing(undefined);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" disabled={act.isPending}>
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />}
      <Form.Item
        name="reason"
        label={
          mayReturn
            ? t('审核意见（退回时必填）', 'Comment (required to send back)')
            : t('意见（可不填）', 'Comment (optional)')
        }
        rules={[{ max: MAX_REASON, message: t(`不超过${MAX_REASON}字`, `At most ${MAX_REASON} characters`) }]}
      >
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} showCount maxLength={MAX_REASON} />
      </Form.Item>
      <Flex wrap gap={8}>
        {passes.map((a) => (
          <Button key={a.action} type="primary" loading={acting === a.action} onClick={() => run(a.action)}>
            {t(a.label, ACTION_EN[a.action] ?? a.label)}
          </Button>
        ))}
        {mayReturn && (
          <Button danger loading={acting === 'return'} onClick={() => run('return')}>
            {t('退回修改', 'Send back')}
          </Button>
        )}
      </Flex>
    </Form>
  );
}

/**
 * One plan under review (审查/审定): what it says, what changed since it was last sent back, its
 * history, and the decision — approve, or send back with a reason.
 */
export default function ReviewPlan() {
  const { t } = useI18n();
  const { id } = useParams();
  const plan = usePlan(Number(id));

  if (plan.isPending) return <Loading />;
  if (plan.isError) return <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />;
  const p = plan.data;
  const showDiff = p.diff && (p.status === 'submitted' || p.status === 'reviewed' || p.status === 'draft');

  return (
    <>
      <PageHeader
        title={p.title}
        subtitle={
          <Flex wrap gap={8} align="center" component="span">
            <PlanStatusTag status={p.status} label={p.statusLabel} />
            <span>
              {p.pairingKindLabel} · {p.planName}
            </span>
          </Flex>
        }
        trail={[{ to: '/reviews', label: t('方案审核', 'Plan review') }]}
        extra={<Link to={`/pairings/${p.pairingId}`}>{t('查看结对', 'Open the pairing')}</Link>}
      />
      {p.noticeId && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t(
            `公示期：${p.noticeStartsOn} 至 ${p.noticeEndsOn}`,
            `Public notice: ${p.noticeStartsOn} to ${p.noticeEndsOn}`,
          )}
          action={<Link to={`/notices/${p.noticeId}`}>{t('查看公示与意见', 'Notice and feedback')}</Link>}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Flex vertical gap={16}>
            {showDiff && p.diff && (
              <Card size="small" title={t('自上次退回以来的修改', 'Changes since it was last sent back')}>
                <PlanDiff diff={p.diff} />
              </Card>
            )}
            <Card size="small" title={t('方案内容', 'The plan')}>
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2 }}
                style={{ marginBottom: 12 }}
                items={[
                  { key: 'helper', label: t('帮扶方', 'Helper'), children: p.helperName ?? '—' },
                  { key: 'helped', label: t('被帮扶方', 'Helped'), children: p.helpedOrgName ?? '—' },
                  { key: 'year', label: t('年度', 'Year'), children: p.year },
                  {
                    key: 'notice',
                    label: t('公示期', 'Notice'),
                    children: t(`${p.noticeDays}个工作日`, `${p.noticeDays} working days`),
                  },
                ]}
              />
              <PlainText>{p.content}</PlainText>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('任务', 'Tasks')}
              </Typography.Title>
              <PlanTasks tasks={p.tasks} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={9}>
          <Flex vertical gap={16}>
            <Card size="small" title={t('审核', 'Decision')}>
              <Decision key={p.version} plan={p} />
            </Card>
            <Card size="small" title={t('流程记录', 'History')}>
              <PlanHistory events={p.events} />
            </Card>
          </Flex>
        </Col>
      </Row>
    </>
  );
}
