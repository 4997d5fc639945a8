import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CreateUserInput,
  UpdateUserInput,
  User as UserSchema,
} from '../../../../../src/modules/users/schemas.ts';
import { api, type Page } from '../../../lib/api';

export type User = z.infer<typeof UserSchema>;
export type CreateUser = z.input<typeof CreateUserInput>;
export type UpdateUser = z.input<typeof UpdateUserInput>;

export interface UserQuery {
  under?: number;
  role?: string;
  page: number;
  pageSize: number;
}

/** Accounts of my subtree: GET /api/users. */
export const getUsers = (q: UserQuery) => api.get<Page<User>>('/api/users', { ...q });
export const usersQuery = (q: UserQuery) =>
  queryOptions({
    queryKey: ['users', 'list', q],
    queryFn: () => getUsers(q),
    placeholderData: keepPreviousData,
  });
export const useUsers = (q: UserQuery) => useQuery(usersQuery(q));

/** POST /api/users: the answer carries the one-time password, shown once and never again. */
export const createUser = (input: CreateUser) =>
  api.post<{ user: User; oneTimePassword: string }>('/api/users', input);

/** PATCH /api/users/:id: role, organisation, name or status. */
export const updateUser = (id: number, input: UpdateUser) => api.patch<User>(`/api/users/${id}`, input);

/** POST /api/users/:id/password-reset: a one-time reset code, valid 24 hours. */
export const issuePasswordReset = (id: number) =>
  api.post<{ token: string; expiresAt: string }>(`/api/users/${id}/password-reset`);

export function useUserMutations() {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: ['users'] });
  return {
    create: useMutation({ mutationFn: createUser, onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, input }: { id: number; input: UpdateUser }) => updateUser(id, input),
      onSuccess: refresh,
    }),
    reset: useMutation({ mutationFn: issuePasswordReset, onSuccess: refresh }),
  };
}
