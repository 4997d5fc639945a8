/**
 * What an uploaded photo claims to be, told by its first bytes only — never by its name or the type
 * the browser declares. JPEG, PNG and HEIC/HEIF (what phones take) go on to be decoded and
 * re-encoded (files/image.ts), which is what decides; anything else never reaches a decoder. (The
 * prebuilt libvips reads no HEVC, so an HEIC photo is refused there, asking for a JPEG.)
 */
export const PHOTO_TYPES = [
  'image/jpeg',
  'image/png',
  'image/heic',
  'image/heic-sequence',
  'image/heif',
] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** How many leading bytes `sniffPhoto` needs. */
export const SNIFF_BYTES = 12;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** ISO-BMFF major brands of HEIF images (ISO/IEC 23008-12) and the media type each is registered as. */
const HEIF_BRANDS: Record<string, PhotoType> = {
  heic: 'image/heic',
  heix: 'image/heic',
  hevc: 'image/heic-sequence',
  msf1: 'image/heic-sequence',
  mif1: 'image/heif',
};

export function sniffPhoto(head: Uint8Array): PhotoType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= PNG.length && PNG.every((b, i) => head[i] === b)) return 'image/png';
  if (head.length >= 12) {
    const ascii = String.fromCharCode(...head.subarray(4, 12));
    if (ascii.startsWith('ftyp')) return HEIF_BRANDS[ascii.slice(4)] ?? null;
  }
  return null;
}
