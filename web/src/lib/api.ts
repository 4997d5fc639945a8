/**
 * The one way the web app talks to the server: JSON over fetch with the session cookie, the CSRF
 * token on every state change, and the server's error shape turned into an ApiError that forms can
 * place next to the field it concerns.
 */

export interface FieldError {
  field: string;
  message: string;
}

/** The server's `{ error: { code, message, messageEn, field?, details? } }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly field: string | undefined;
  readonly details: FieldError[];

  constructor(status: number, body: unknown) {
    const e = (body as { error?: Record<string, unknown> } | null)?.error ?? {};
    const zh = typeof e.message === 'string' ? e.message : `请求失败（${status}）`;
    super(zh);
    this.status = status;
    this.code = typeof e.code === 'string' ? e.code : status === 0 ? 'network' : 'http_error';
    this.messageZh = zh;
    this.messageEn = typeof e.messageEn === 'string' ? e.messageEn : `request failed (${status})`;
    this.field = typeof e.field === 'string' ? e.field : undefined;
    this.details = Array.isArray(e.details)
      ? (e.details as FieldError[]).filter((d) => d && typeof d.field === 'string')
      : [];
  }

  /** The message in the user's language. */
  text(lang: 'zh' | 'en'): string {
    return lang === 'en' ? this.messageEn : this.messageZh;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

let csrfToken: string | undefined;
/** Set from /api/auth/me and sign-in; sent as X-CSRF-Token on every state-changing request. */
export const setCsrfToken = (token: string | undefined) => {
  csrfToken = token;
};

type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) params.append(k, String(x));
    else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(method: string, path: string, body?: unknown, init?: RequestInit): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError(0, {
      error: {
        code: 'network',
        message: '网络连接失败，请检查网络后重试',
        messageEn: 'network error: check the connection and try again',
      },
    });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/api/auth/'))
      window.dispatchEvent(new Event('gj:unauthenticated'));
    throw new ApiError(res.status, json);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  del: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, form),
};

/** A paged list as the server returns it. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
