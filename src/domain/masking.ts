/** Personal data as the county shows it by default: 110105********002X, 138****1234. */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return id ?? null;
  if (id.length <= 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (phone.length <= 4) return '*'.repeat(phone.length);
  return `${'*'.repeat(phone.length - 4)}${phone.slice(-4)}`;
}

/** A needy household's head as the public sees it: surname + 某 (张某). */
export const maskName = (name: string): string => (name ? `${[...name][0]}某` : name);

/**
 * A home address as the county shows it by default: the place down to the village or community is
 * kept (who works with the member needs it), the group, street, house and room are hidden:
 * 青山县城关镇长寿村3组15号 → 青山县城关镇长寿村****. An address with no such place keeps its first
 * three characters.
 */
const PLACE_END = /(村|社区|居委会|街道|镇|乡|县|区|市)/g;
export function maskAddress(address: string | null | undefined): string | null {
  if (!address) return address ?? null;
  let keep = 0;
  for (const m of address.matchAll(PLACE_END)) keep = m.index + m[0].length;
  if (keep === 0) keep = Math.min(3, [...address].length - 1);
  const chars = [...address];
  const kept = address.slice(0, keep);
  return [...kept].length >= chars.length ? kept : `${kept}****`;
}
