import { useUser } from '../../lib/auth';

/**
 * The public page of a notice is the server's own (/public/notices/:id?county=…, no sign-in, no
 * script) and needs the county's 6-digit code. The signed-in user's county code is read from
 * /api/auth/me when the server sends it (`countyCode`); until then there is no link to give.
 */
export function usePublicNoticeHref(id: number): string | undefined {
  const me = useUser() as ReturnType<typeof useUser> & { countyCode?: string };
  const code = me.countyCode;
  return code && /^\d{6}$/.test(code) ? `/public/notices/${id}?county=${code}` : undefined;
}
