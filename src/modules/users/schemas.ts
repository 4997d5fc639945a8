import { z } from 'zod';
import { ROLES } from '../../domain/access.ts';
import { Id, Paging } from '../shared-schemas.ts';

export const RoleCode = z.enum(ROLES);

export const User = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  role: z.string(),
  roleLabel: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  memberId: z.number().int().nullable(),
  status: z.string(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
});

export const UserListQuery = z.strictObject({
  under: Id.optional(),
  role: RoleCode.optional(),
  ...Paging,
});
export type UserListQuery = z.infer<typeof UserListQuery>;

export const CreateUserInput = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{3,40}$/, '账号名为3-40位字母、数字或 _ . - / 3-40 letters, digits, _ . -'),
  displayName: z.string().trim().min(1).max(30),
  phone: z.string().trim().max(30).nullable().optional(),
  orgId: Id,
  memberId: Id.nullable().optional(),
  role: RoleCode,
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const UpdateUserInput = z
  .strictObject({
    displayName: z.string().trim().min(1).max(30),
    orgId: Id,
    role: RoleCode,
    status: z.enum(['active', 'disabled']),
  })
  .partial();
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;
