import { describe, expect, it } from 'vitest';
import { sniffPhoto } from './photo-type.ts';

const bytes = (...xs: (number | string)[]) =>
  Uint8Array.from(xs.flatMap((x) => (typeof x === 'string' ? [...Buffer.from(x, 'latin1')] : [x])));

describe('telling a photo by its first bytes', () => {
  it('knows JPEG, PNG and the HEIF brands phones write', () => {
    expect(sniffPhoto(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'))).toBe('image/jpeg');
    expect(sniffPhoto(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d))).toBe('image/png');
    expect(sniffPhoto(bytes(0, 0, 0, 0x18, 'ftypheic'))).toBe('image/heic');
    expect(sniffPhoto(bytes(0, 0, 0, 0x18, 'ftypheix'))).toBe('image/heic');
    expect(sniffPhoto(bytes(0, 0, 0, 0x18, 'ftyphevc'))).toBe('image/heic-sequence');
    expect(sniffPhoto(bytes(0, 0, 0, 0x18, 'ftypmsf1'))).toBe('image/heic-sequence');
    expect(sniffPhoto(bytes(0, 0, 0, 0x1c, 'ftypmif1'))).toBe('image/heif');
  });

  it('refuses everything else, whatever it is called', () => {
    expect(sniffPhoto(bytes('<html><script>'))).toBeNull();
    expect(sniffPhoto(bytes('GIF89a......'))).toBeNull();
    expect(sniffPhoto(bytes(0, 0, 0, 0x18, 'ftypisom'))).toBeNull(); // an MP4 video
    expect(sniffPhoto(bytes(0, 0, 0, 0x18, 'ftypavif'))).toBeNull();
    expect(sniffPhoto(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffPhoto(bytes(0x89, 'PNG', 0x0d, 0x0a))).toBeNull();
    expect(sniffPhoto(new Uint8Array())).toBeNull();
  });
});
