import sharp from 'sharp';
import { AppError } from '../../platform/errors.ts';

/**
 * Every photo is decoded and written anew as a plain JPEG before it is kept: what is served is
 * pixels the platform encoded, never the bytes someone uploaded. That drops whatever rode along in
 * the file — an HTML or script tail of a polyglot, EXIF with the GPS position of a household, a
 * thumbnail of another picture — and bounds the size of what the database keeps.
 */
export const PHOTO_MAX_SIDE = 2048;
export const PHOTO_QUALITY = 80;
export const PHOTO_TYPE = 'image/jpeg';
/** Larger than any phone camera's output (108 MP), well below what would exhaust memory. */
const MAX_INPUT_PIXELS = 120_000_000;

// Each photo is encoded once: libvips' operation cache would only hold memory.
sharp.cache(false);

export const unreadablePhoto = () =>
  new AppError(
    400,
    'unreadable_photo',
    '无法识别该照片，请上传 JPEG 或 PNG 格式的照片（苹果手机的 HEIC 照片请先转为 JPEG）',
    'the photo could not be read as an image; upload a JPEG or PNG photo (convert HEIC to JPEG first)',
    'file',
  );

/**
 * The photo as a JPEG of at most PHOTO_MAX_SIDE pixels on its long side, turned upright (EXIF
 * orientation applied to the pixels, since no metadata is kept), transparency on white; or a 400
 * when it does not decode as an image.
 */
export async function reencodePhoto(input: Buffer): Promise<Buffer> {
  try {
    return await sharp(input, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .rotate()
      .resize(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: PHOTO_QUALITY })
      .timeout({ seconds: 30 })
      .toBuffer();
  } catch {
    throw unreadablePhoto();
  }
}
