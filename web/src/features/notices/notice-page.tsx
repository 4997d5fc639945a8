import { ExportOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { AnswerInput } from '../../../../src/modules/publicity/schemas.ts';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan } from '../../lib/auth';
import { formatDateTime } from '../../lib/format';
import { applyServerErrors, zodRule } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';
import { type Feedback, previewAnswer, useAnswerFeedback, useFeedback, useNotice } from './api/notices';
import { NoticeState } from './components/notice-state';
import { usePublicNoticeHref } from './public-link';

interface Values {
  answer?: string;
  publish?: boolean;
}

function AnswerForm({ noticeId, item, onDone }: { noticeId: number; item: Feedback; onDone: () => void }) {
  const { lang, t } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [checking, setChecking] = useState(false);
  const answer = useAnswerFeedback(noticeId, item.id);

  /** Before publishing, the answerer sees exactly what the public page will show (masked by the server). */
  const confirmPublication = async (text: string) => {
    setChecking(true);
    try {
      const shown = await previewAnswer(noticeId, item.id, text);
      return await modal.confirm({
        title: t('公开前请确认', 'Check before publishing'),
        width: 560,
        content: (
          <Flex vertical gap={8}>
            <Typography.Text type="secondary">
              {t(
                '公示页将显示以下内容（姓名、电话、证件号已脱敏）：',
                'The notice page will show this (names, phones and ID numbers masked):',
              )}
            </Typography.Text>
            <Card size="small" title={t('群众意见', 'Feedback')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                {shown.content}
              </Typography.Paragraph>
            </Card>
            <Card size="small" title={t('答复', 'Answer')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                {shown.answer}
              </Typography.Paragraph>
            </Card>
          </Flex>
        ),
        okText: t('确认公开', 'Publish'),
        cancelText: t('返回修改', 'Go back'),
      });
    } finally {
      setChecking(false);
    }
  };

  const submit = async (v: Values) => {
    setBanner(undefined);
    try {
      if (v.publish && !(await confirmPublication(v.answer ?? ''))) return;
      await answer.mutateAsync({ answer: v.answer ?? '', publish: !!v.publish });
      message.success(
        v.publish
          ? t('已答复并在公示页公开', 'Answered, and published on the notice')
          : t('已答复', 'Answered'),
      );
      onDone();
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={submit}
      disabled={answer.isPending}
      initialValues={{ answer: item.answer ?? '', publish: item.answer ? item.answerPublished : true }}
      style={{ marginTop: 8 }}
    >
      {banner && <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 8 }} />}
      <Form.Item
        name="answer"
        label={t('答复', 'Answer')}
        rules={[
          { required: true, whitespace: true, message: t('请填写答复内容', 'Write the answer') },
          zodRule(AnswerInput.shape.answer),
        ]}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} />
      </Form.Item>
      <Form.Item name="publish" valuePropName="checked" style={{ marginBottom: 8 }}>
        <Checkbox>
          {t('在公示页公开此意见及答复（已脱敏）', 'Publish the feedback and answer on the notice (masked)')}
        </Checkbox>
      </Form.Item>
      <Flex gap={8} wrap>
        <Button type="primary" htmlType="submit" loading={answer.isPending || checking}>
          {t('提交答复', 'Send the answer')}
        </Button>
        <Button type="text" onClick={onDone}>
          {t('取消', 'Cancel')}
        </Button>
      </Flex>
    </Form>
  );
}

function FeedbackItem({ noticeId, item }: { noticeId: number; item: Feedback }) {
  const { t } = useI18n();
  const can = useCan();
  const [answering, setAnswering] = useState(false);
  const mayAnswer = can('notice.answer');
  return (
    <Card size="small">
      <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{item.content}</div>
      <Flex wrap gap={6} align="center" style={{ marginTop: 4 }}>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {formatDateTime(item.createdAt)} ·{' '}
          {item.anonymous ? t('匿名', 'Anonymous') : `${t('联系方式', 'Contact')}：${item.contact}`}
        </Typography.Text>
        {!item.answer && (
          <Tag color="red" style={{ marginInlineEnd: 0 }}>
            {t('待答复', 'To answer')}
          </Tag>
        )}
      </Flex>
      {item.answer && !answering && (
        <div style={{ marginTop: 8, padding: '8px 12px', background: '#fafafa', borderRadius: 6 }}>
          <Typography.Text strong>{t('答复', 'Answer')}：</Typography.Text>
          <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{item.answer}</span>
          <Flex wrap gap={6} align="center" style={{ marginTop: 4 }}>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {item.answeredByName} · {formatDateTime(item.answeredAt)}
            </Typography.Text>
            <Tag color={item.answerPublished ? 'green' : 'default'} style={{ marginInlineEnd: 0 }}>
              {item.answerPublished ? t('已公开', 'Published') : t('未公开', 'Not published')}
            </Tag>
          </Flex>
        </div>
      )}
      {mayAnswer &&
        (answering ? (
          <AnswerForm noticeId={noticeId} item={item} onDone={() => setAnswering(false)} />
        ) : (
          <Button
            size="small"
            type={item.answer ? 'default' : 'primary'}
            style={{ marginTop: 8 }}
            onClick={() => setAnswering(true)}
          >
            {item.answer ? t('修改答复', 'Edit the answer') : t('答复', 'Answer')}
          </Button>
        ))}
    </Card>
  );
}

/**
 * One public notice (公示) as staff see it: its period, a link to the public page the masses read,
 * and their feedback, each with its answer; staff answer and choose to publish the answer.
 */
export default function NoticePage() {
  const { t } = useI18n();
  const { id: idParam } = useParams();
  const navigate = useNavigate();
  const id = Number(idParam);
  const notice = useNotice(id);
  const feedback = useFeedback(id);
  const publicHref = usePublicNoticeHref(id);

  if (notice.isPending) return <Loading />;
  if (notice.isError) return <ErrorState error={notice.error} onRetry={() => void notice.refetch()} />;
  const n = notice.data;
  if (!n) {
    return (
      <>
        <PageHeader
          title={t('公示', 'Notice')}
          trail={[{ to: '/notices', label: t('公示管理', 'Public notices') }]}
        />
        <EmptyState text={t('该公示不存在或不在您的管辖范围内', 'No such notice in your sight')} />
      </>
    );
  }
  const publicLink = publicHref ? (
    <Button icon={<ExportOutlined />} href={publicHref} target="_blank" rel="noopener">
      {t('公开页面', 'Public page')}
    </Button>
  ) : (
    <Tooltip
      title={t('缺少本县代码，暂不能生成公开页面地址', 'The county code is missing: no public address yet')}
    >
      <Button icon={<ExportOutlined />} disabled>
        {t('公开页面', 'Public page')}
      </Button>
    </Tooltip>
  );
  const items = feedback.data?.items ?? [];
  const unanswered = items.filter((f) => !f.answer).length;

  return (
    <>
      <PageHeader
        title={n.title}
        subtitle={
          <Flex wrap gap={8} align="center" component="span">
            <NoticeState open={n.open} />
            <span>
              {n.orgName} · {n.startsOn} {t('至', 'to')} {n.endsOn}
            </span>
          </Flex>
        }
        trail={[{ to: '/notices', label: t('公示管理', 'Public notices') }]}
        extra={
          <>
            <Button onClick={() => navigate(`/reviews/${n.planId}`)}>{t('查看方案', 'Open the plan')}</Button>
            {publicLink}
          </>
        }
      />
      <Typography.Title level={4} style={{ fontSize: 16 }}>
        {t('群众意见', 'Feedback from the public')}
        {feedback.data && (
          <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 400 }}>
            {' '}
            {t(`${items.length}条，${unanswered}条待答复`, `${items.length}, ${unanswered} to answer`)}
          </Typography.Text>
        )}
      </Typography.Title>
      {feedback.isPending ? (
        <Loading />
      ) : feedback.isError ? (
        <ErrorState error={feedback.error} onRetry={() => void feedback.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState text={t('尚未收到群众意见', 'No feedback yet')} />
      ) : (
        <Flex vertical gap={8}>
          {items.map((f) => (
            <FeedbackItem key={f.id} noticeId={id} item={f} />
          ))}
        </Flex>
      )}
    </>
  );
}
