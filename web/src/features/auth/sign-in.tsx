import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { SignInInput } from '../../../../src/modules/auth/schemas.ts';
import { LangSwitch } from '../../app/shell';
import { Loading } from '../../components/states';
import { api, isApiError, setCsrfToken } from '../../lib/api';
import { ME_KEY, type Me, useMe } from '../../lib/auth';
import { applyServerErrors, zodRule } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';

interface Values {
  account: string;
  password: string;
  totpCode?: string;
}

/** Sign-in: errors in plain Chinese (wrong password, locked for 15 minutes, too many tries). */
export default function SignIn() {
  const { lang, t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<string>();
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { data: me, isPending } = useMe();
  const next = params.get('next')?.startsWith('/') ? (params.get('next') as string) : '/';

  if (isPending) return <Loading />;
  if (me) return <Navigate to={next} replace />;

  const submit = async (values: Values) => {
    setBanner(undefined);
    setBusy(true);
    try {
      const body = {
        account: values.account,
        password: values.password,
        ...(values.totpCode ? { totpCode: values.totpCode } : {}),
      };
      const signedIn = await api.post<Me>('/api/auth/sign-in', body);
      setCsrfToken(signedIn.csrfToken);
      qc.setQueryData(ME_KEY, signedIn);
      navigate(signedIn.mustChangePassword ? '/account/password' : next, { replace: true });
    } catch (e) {
      if (isApiError(e) && e.code === 'totp_required') {
        setNeedTotp(true);
        setBanner(e.text(lang));
      } else {
        setBanner(applyServerErrors(form, e, lang) ?? (isApiError(e) ? e.text(lang) : undefined));
      }
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
        background: 'linear-gradient(180deg, #fff1f0 0%, #f5f5f5 60%)',
      }}
    >
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <LangSwitch />
        </div>
        <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 8, color: '#c41d1d' }}>
          {t('城乡党建三联共建平台', 'Urban-rural co-building')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('领导联点 · 支部联建 · 党员联帮', 'Leader contact · Branch co-building · Member assistance')}
        </Typography.Paragraph>
        {banner && <Alert type="error" showIcon title={banner} style={{ marginBottom: 16 }} role="alert" />}
        <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
          <Form.Item
            name="account"
            label={t('账号或手机号', 'Account or phone')}
            rules={[{ required: true, message: t('请输入账号或手机号', 'Enter the account or phone') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('密码', 'Password')}
            rules={[{ required: true, message: t('请输入密码', 'Enter the password') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          {needTotp && (
            <Form.Item
              name="totpCode"
              label={t('动态码（6位数字）', 'One-time code (6 digits)')}
              rules={[
                { required: true, message: t('请输入动态码', 'Enter the code') },
                zodRule(SignInInput.shape.totpCode),
              ]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} size="large" />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('登录', 'Sign in')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
          {t(
            '连续输错5次密码，账号将锁定15分钟。忘记密码请联系本级管理员重置。',
            'Five wrong passwords lock the account for 15 minutes. Forgot it? Ask your administrator for a reset.',
          )}{' '}
          <Link to="/reset-password">
            {t('已有重置码？设置新密码', 'Have a reset code? Set a new password')}
          </Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
