import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { checkPasswordPolicy } from '../../../../src/domain/password-policy.ts';
import { PageHeader } from '../../components/page-header';
import { api } from '../../lib/api';
import { ME_KEY, useUser } from '../../lib/auth';
import { applyServerErrors } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function ChangePassword() {
  const me = useUser();
  const { lang, t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();

  const submit = async (v: Values) => {
    setBusy(true);
    setBanner(undefined);
    try {
      await api.post('/api/auth/password', {
        currentPassword: v.currentPassword,
        newPassword: v.newPassword,
      });
      message.success(t('密码已修改', 'Password changed'));
      await qc.invalidateQueries({ queryKey: ME_KEY });
      navigate('/', { replace: true });
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('修改密码', 'Change password')} />
      <Card style={{ maxWidth: 480 }}>
        {me.mustChangePassword && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('首次登录或密码已被重置，请先设置新密码。', 'Set a new password before you go on.')}
          />
        )}
        {banner && <Alert type="error" showIcon title={banner} style={{ marginBottom: 16 }} role="alert" />}
        <Form<Values> form={form} layout="vertical" onFinish={submit} disabled={busy}>
          <Form.Item
            name="currentPassword"
            label={t('当前密码', 'Current password')}
            rules={[{ required: true }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('新密码', 'New password')}
            extra={t('至少10位，不能与账号、手机号相同', 'At least 10 characters, not your account or phone')}
            rules={[
              { required: true },
              {
                validator: async (_, value: string | undefined) => {
                  const problem = value ? checkPasswordPolicy(value, { username: me.username }) : null;
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
              { required: true },
              ({ getFieldValue }) => ({
                validator: async (_, value) => {
                  if (value && value !== getFieldValue('newPassword')) {
                    throw new Error(t('两次输入的密码不一致', 'The passwords differ'));
                  }
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('保存', 'Save')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
