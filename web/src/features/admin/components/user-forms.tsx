import { Alert, App, Button, Drawer, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ROLE_LABELS, ROLES } from '../../../../../src/domain/access.ts';
import { CreateUserInput } from '../../../../../src/modules/users/schemas.ts';
import { OrgPicker } from '../../../components/org-picker';
import { applyServerErrors, zodRule } from '../../../lib/forms';
import { useI18n } from '../../../lib/i18n';
import { type CreateUser, type UpdateUser, type User, useUserMutations } from '../api/users';
import { MemberPicker } from './member-picker';

export function useRoleOptions() {
  const { lang } = useI18n();
  return ROLES.map((r) => ({ value: r, label: lang === 'en' ? ROLE_LABELS[r].en : ROLE_LABELS[r].zh }));
}

/** A secret shown once: large, copyable, with what to do with it. */
export function SecretModal({
  open,
  title,
  secret,
  note,
  onClose,
}: {
  open: boolean;
  title: string;
  secret: string;
  note: string;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('我已记下', 'I have noted it')}
        </Button>
      }
    >
      <Alert
        type="warning"
        showIcon
        title={t('只显示这一次，关闭后无法再查看', 'Shown this once only; it cannot be seen again')}
        style={{ marginBottom: 12 }}
      />
      <Typography.Paragraph
        copyable={{ text: secret }}
        code
        style={{ fontSize: 20, wordBreak: 'break-all' }}
        aria-label={t('一次性密码', 'One-time secret')}
      >
        {secret}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{note}</Typography.Paragraph>
    </Modal>
  );
}

interface CreateValues {
  username: string;
  displayName: string;
  phone?: string;
  orgId?: number;
  role?: string;
  memberId?: number | null;
}

/** 新建账号: on success the one-time password is shown once. */
export function CreateUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { lang, t } = useI18n();
  const [form] = Form.useForm<CreateValues>();
  const { create } = useUserMutations();
  const roles = useRoleOptions();
  const [banner, setBanner] = useState<string>();
  const [created, setCreated] = useState<{ user: User; oneTimePassword: string }>();
  const orgId = Form.useWatch('orgId', form);
  const required = (zh: string, en: string) => ({ required: true, message: t(zh, en) });

  const submit = async (v: CreateValues) => {
    setBanner(undefined);
    try {
      const body: CreateUser = {
        username: v.username,
        displayName: v.displayName,
        orgId: v.orgId as number,
        role: v.role as CreateUser['role'],
        ...(v.phone ? { phone: v.phone } : {}),
        ...(v.memberId ? { memberId: v.memberId } : {}),
      };
      const res = await create.mutateAsync(body);
      setCreated(res);
      form.resetFields();
      onClose();
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    }
  };

  return (
    <>
      <Modal
        open={open}
        title={t('新建账号', 'New account')}
        onCancel={onClose}
        okText={t('创建', 'Create')}
        cancelText={t('取消', 'Cancel')}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        {banner && <Alert type="error" showIcon title={banner} style={{ marginBottom: 12 }} role="alert" />}
        <Form<CreateValues> form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item
            name="username"
            label={t('账号名', 'Account name')}
            rules={[
              required('请输入账号名', 'Enter the account name'),
              zodRule(CreateUserInput.shape.username),
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t('姓名', 'Name')}
            rules={[required('请输入姓名', 'Enter the name'), zodRule(CreateUserInput.shape.displayName)]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="phone" label={t('手机号（可用于登录）', 'Phone (may be used to sign in)')}>
            <Input inputMode="tel" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="orgId"
            label={t('所属组织（可见范围）', 'Organisation (what it may see)')}
            rules={[required('请选择组织', 'Pick an organisation')]}
          >
            <OrgPicker allowClear={false} />
          </Form.Item>
          <Form.Item name="role" label={t('角色', 'Role')} rules={[required('请选择角色', 'Pick a role')]}>
            <Select options={roles} />
          </Form.Item>
          <Form.Item name="memberId" label={t('对应党员（可选）', 'The member it belongs to (optional)')}>
            <MemberPicker under={orgId} />
          </Form.Item>
        </Form>
      </Modal>
      <SecretModal
        open={!!created}
        title={t(
          `账号 ${created?.user.username ?? ''} 已创建`,
          `Account ${created?.user.username ?? ''} created`,
        )}
        secret={created?.oneTimePassword ?? ''}
        note={t(
          '请当面或电话告知本人。首次登录后须修改密码。',
          'Tell the person in person or by phone. They must change it at first sign-in.',
        )}
        onClose={() => setCreated(undefined)}
      />
    </>
  );
}

interface EditValues {
  displayName: string;
  orgId: number;
  role: string;
  status: 'active' | 'disabled';
}

/** 修改账号: role, organisation, name, status; only what changed is sent. */
export function EditUserDrawer({ user, onClose }: { user: User | undefined; onClose: () => void }) {
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const { update } = useUserMutations();
  const roles = useRoleOptions();
  const [banner, setBanner] = useState<string>();

  useEffect(() => {
    setBanner(undefined);
    if (user)
      form.setFieldsValue({
        displayName: user.displayName,
        orgId: user.orgId,
        role: user.role,
        status: user.status === 'disabled' ? 'disabled' : 'active',
      });
  }, [user, form]);

  const submit = async (v: EditValues) => {
    if (!user) return;
    const input: UpdateUser = {};
    if (v.displayName !== user.displayName) input.displayName = v.displayName;
    if (v.orgId !== user.orgId) input.orgId = v.orgId;
    if (v.role !== user.role) input.role = v.role as UpdateUser['role'];
    if (v.status !== user.status) input.status = v.status;
    if (!Object.keys(input).length) return onClose();
    setBanner(undefined);
    try {
      await update.mutateAsync({ id: user.id, input });
      message.success(t('已保存', 'Saved'));
      onClose();
    } catch (e) {
      setBanner(applyServerErrors(form, e, lang));
    }
  };

  return (
    <Drawer
      open={!!user}
      onClose={onClose}
      title={t(`修改账号 ${user?.username ?? ''}`, `Edit ${user?.username ?? ''}`)}
      size={420}
      styles={{ wrapper: { maxWidth: '100vw' } }}
      footer={
        <Button type="primary" block loading={update.isPending} onClick={() => form.submit()}>
          {t('保存', 'Save')}
        </Button>
      }
    >
      {banner && <Alert type="error" showIcon title={banner} style={{ marginBottom: 12 }} role="alert" />}
      <Form<EditValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="displayName"
          label={t('姓名', 'Name')}
          rules={[{ required: true, message: t('请输入姓名', 'Enter the name') }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('角色', 'Role')}>
          <Select options={roles} />
        </Form.Item>
        <Form.Item name="orgId" label={t('所属组织', 'Organisation')}>
          <OrgPicker allowClear={false} />
        </Form.Item>
        <Form.Item name="status" label={t('状态', 'Status')}>
          <Select
            options={[
              { value: 'active', label: t('启用', 'Active') },
              { value: 'disabled', label: t('停用（不能登录）', 'Disabled (cannot sign in)') },
            ]}
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
