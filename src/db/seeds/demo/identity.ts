import { makeIdNumber } from '../../../domain/idcard.ts';
import type { Gender } from './names.ts';
import type { Rng } from './rng.ts';

/**
 * Hands out ID numbers that are valid (GB 11643 check digit), agree with the birth date and gender
 * (odd 17th digit = male), and never repeat: the members and households tables key on them.
 */
export class IdNumbers {
  private readonly used = new Map<string, Set<number>>();

  constructor(
    private readonly rng: Rng,
    private readonly area: string,
  ) {}

  next(birthDate: string, gender: Gender): string {
    let taken = this.used.get(birthDate);
    if (!taken) {
      taken = new Set();
      this.used.set(birthDate, taken);
    }
    // 499 odd and 499 even sequences per day; a county of ten thousand people uses a handful.
    if (taken.size >= 990) throw new Error(`no ID sequence left for ${birthDate}`);
    for (;;) {
      const half = this.rng.int(0, 498);
      const sequence = gender === 'male' ? half * 2 + 1 : half * 2 + 2;
      if (!taken.has(sequence)) {
        taken.add(sequence);
        return makeIdNumber(this.area, birthDate, sequence);
      }
    }
  }
}

// Mobile prefixes of the three carriers, as seen on a county roster.
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '176',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];

/** Eleven-digit mobile numbers, unique within one county load. */
export class Phones {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  next(): string {
    for (;;) {
      const phone = this.rng.pick(MOBILE_PREFIXES) + String(this.rng.int(0, 99_999_999)).padStart(8, '0');
      if (!this.used.has(phone)) {
        this.used.add(phone);
        return phone;
      }
    }
  }
}
