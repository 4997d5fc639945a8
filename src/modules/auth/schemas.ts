import { z } from 'zod';

export const SignInInput = z.strictObject({
  account: z.string().trim().min(1, '请输入账号或手机号 / enter the account or phone').max(60),
  password: z.string().min(1, '请输入密码 / enter the password').max(200),
  totpCode: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '动态码为6位数字 / six digits')
    .optional(),
});

export const Me = z.object({
  userId: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  roleLabel: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  countyCode: z.string().describe('县代码（公开页面链接用）/ county code, for links to public pages'),
  memberId: z.number().int().nullable(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  totpSetupRequired: z.boolean(),
  csrfToken: z
    .string()
    .describe('状态变更请求须在 X-CSRF-Token 头中带上 / send as X-CSRF-Token on state-changing requests'),
  permissions: z.array(z.string()),
});

export const ChangePasswordInput = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});

export const ResetPasswordInput = z.strictObject({
  token: z.string().min(10).max(200),
  newPassword: z.string().min(1).max(200),
});

export const TotpSetup = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const TotpEnableInput = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/),
});
export const Ok = z.object({ ok: z.literal(true) });
