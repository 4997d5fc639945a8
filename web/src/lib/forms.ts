import type { FormInstance } from 'antd';
import type { z } from 'zod';
import { type ApiError, isApiError } from './api';
import type { Lang } from './i18n';

/**
 * Puts the server's field errors next to the fields they concern. The server names fields with
 * dots and indexes (`tasks.2.title`); antd names them as arrays (['tasks', 2, 'title']).
 * Returns the messages that matched no field, for a banner.
 */
export function applyServerErrors(form: FormInstance, error: unknown, lang: Lang): string | undefined {
  if (!isApiError(error)) return lang === 'en' ? 'Something went wrong' : '出错了，请重试';
  const e = error as ApiError;
  const known = new Set(
    Object.keys(form.getFieldsValue(true) as Record<string, unknown>).map((k) => k.split('.')[0]),
  );
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  const list = e.details.length ? e.details : e.field ? [{ field: e.field, message: e.messageZh }] : [];
  for (const d of list) {
    const name = d.field
      .split(/[.[\]]/)
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (name.length && known.has(String(name[0]))) fields.push({ name, errors: [d.message] });
  }
  if (fields.length) form.setFields(fields);
  return fields.length && fields.length === list.length ? undefined : e.text(lang);
}

/** An antd rule from the server's own zod schema, so the form checks what the server checks. */
export const zodRule = (schema: z.ZodType) => ({
  validator: async (_: unknown, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    const r = schema.safeParse(value);
    if (!r.success) throw new Error(r.error.issues[0]?.message ?? '格式不正确 / invalid');
  },
});
