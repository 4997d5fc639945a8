/**
 * A small seeded PRNG (mulberry32) and the draws the generators need. Demo data must come out the
 * same for the same seed on every machine, so nothing here may touch Math.random or the clock.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight; `weights` need not sum to one. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    let last: T | undefined;
    for (const [item, w] of items) {
      if (w <= 0) continue;
      r -= w;
      last = item;
      if (r < 0) return item;
    }
    // Rounding can leave r at a hair above zero: the last item that has any weight takes it.
    if (last === undefined) throw new Error('pick by weight with no positive weight');
    return last;
  }

  /** Picks a key of `{ key: weight }` by weight, as the profile tables write their shares. */
  weightedKey<K extends string>(weights: Partial<Record<K, number>>): K {
    return this.weighted(Object.entries(weights) as [K, number][]);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /**
   * A child generator for one part of the county. Each part draws from its own stream, so adding a
   * draw in one generator does not reshuffle every name in the others.
   */
  fork(label: string): Rng {
    let h = this.state ^ 0x9e3779b9;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Rng(h >>> 0);
  }
}

/**
 * Splits `total` into whole parts proportional to `weights`, each at least its `min`, by largest
 * remainder, so the parts sum to the total exactly (the seed report's figures are exact).
 */
export function apportion(total: number, weights: readonly number[], mins: readonly number[] = []): number[] {
  const floor = weights.map((_, i) => mins[i] ?? 0);
  const rest = total - floor.reduce((a, b) => a + b, 0);
  if (rest < 0) throw new Error(`cannot split ${total}: the minimums alone need ${total - rest}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new Error('apportion needs a positive weight');
  const exact = weights.map((w) => (w / sum) * rest);
  const parts = exact.map((x, i) => floor[i]! + Math.floor(x));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => [i, x - Math.floor(x)] as const)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i] of byRemainder) {
    if (left === 0) break;
    parts[i]!++;
    left--;
  }
  return parts;
}

/**
 * Chooses exactly `count` indexes, each item's chance growing with its weight (Efraimidis–Spirakis).
 * Weight 0 is never chosen. Returns the chosen indexes in ascending order.
 */
export function sampleWeighted(rng: Rng, weights: readonly number[], count: number): number[] {
  const keyed: [number, number][] = [];
  weights.forEach((w, i) => {
    if (w > 0) keyed.push([i, Math.log(1 - rng.next()) / w]);
  });
  if (keyed.length < count) throw new Error(`only ${keyed.length} candidates for ${count} places`);
  keyed.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return keyed
    .slice(0, count)
    .map(([i]) => i)
    .sort((a, b) => a - b);
}
