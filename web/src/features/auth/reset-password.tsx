import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { checkPasswordPolicy } from '../../../../src/domain/password-policy.ts';
import { LangSwitch } from '../../app/shell';
import { api } from '../../lib/api';
import { applyServerErrors } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';

interface Values {
  token: string;
  newPassword: string;
  confirm: string;
}

/** Sets a new password with the reset code an administrator gave (shown to them once). */
export default function ResetPassword() {
  const { t, lang } = useI18n();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (v: Values) => {
    setBusy(true);
    setBanner(undefined);
    try {
      await api.post('/api/auth/reset-password', { token: v.token.trim(), newPassword: v.newPassword });
      setDone(true);
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
      }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <LangSwitch />
        </div>
        {done ? (
          <Result
            status="success"
            title={t('新密码已设置', 'Your new password is set')}
            extra={
              <Link to="/sign-in">
                <Button type="primary">{t('去登录', 'Sign in')}</Button>
              </Link>
            }
          />
        ) : (
          <>
            <Typography.Title level={4}>
              {t('用重置码设置新密码', 'Set a new password with a reset code')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">
              {t(
                '重置码由本级管理员提供，只能使用一次。',
                'Your administrator gives the code; it works once.',
              )}
            </Typography.Paragraph>
            {banner && (
              <Alert type="error" showIcon role="alert" title={banner} style={{ marginBottom: 12 }} />
            )}
            <Form<Values>
              form={form}
              layout="vertical"
              onFinish={submit}
              disabled={busy}
              initialValues={{ token: params.get('token') ?? '' }}
            >
              <Form.Item
                name="token"
                label={t('重置码', 'Reset code')}
                rules={[{ required: true, message: t('请输入重置码', 'Enter the code') }]}
              >
                <Input autoComplete="one-time-code" />
              </Form.Item>
              <Form.Item
                name="newPassword"
                label={t('新密码', 'New password')}
                extra={t('至少10位，不能太常见', 'At least 10 characters, not a common one')}
                rules={[
                  { required: true, message: t('请输入新密码', 'Enter the new password') },
                  {
                    validator: async (_, value: string | undefined) => {
                      const problem = value ? checkPasswordPolicy(value) : null;
                      if (problem) throw new Error(lang === 'en' ? problem.en : problem.zh);
                    },
                  },
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={t('再次输入新密码', 'Repeat the new password')}
                dependencies={['newPassword']}
                rules={[
                  { required: true, message: t('请再次输入新密码', 'Repeat the new password') },
                  ({ getFieldValue }) => ({
                    validator: async (_, value) => {
                      if (value && value !== getFieldValue('newPassword'))
                        throw new Error(t('两次输入的密码不一致', 'The passwords differ'));
                    },
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy}>
                {t('设置新密码', 'Set the new password')}
              </Button>
            </Form>
            <div style={{ marginTop: 12 }}>
              <Link to="/sign-in">{t('返回登录', 'Back to sign-in')}</Link>
            </div>
          </>
        )}
      </Card>
    </div>
  );
}
