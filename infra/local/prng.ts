/**
 * Seeded, deterministic pseudo-random numbers (mulberry32). Every random choice the local stack makes
 * (fault injection, event duplication/reordering, ids) draws from a named stream derived from one seed,
 * so a test run replays exactly.
 */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  int(bound: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Random (RFC 4122 version 4 formatted) UUID drawn from this stream. */
  uuid(): string;
  /** Hex string of `length` characters drawn from this stream. */
  hex(length: number): string;
  /** Fisher-Yates shuffle, in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a 32-bit hash: stable, fast, good enough to derive seeds and deterministic orderings. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function createPrng(seed: number, stream = ''): Prng {
  const random = mulberry32(fnv1a(`${String(seed)}/${stream}`));
  const int = (bound: number): number => Math.floor(random() * bound);
  const hex = (length: number): string => {
    let out = '';
    while (out.length < length) out += int(0x10000).toString(16).padStart(4, '0');
    return out.slice(0, length);
  };
  return {
    next: random,
    int,
    chance: (p) => p > 0 && random() < p,
    hex,
    uuid: () => {
      const h = hex(32).split('');
      h[12] = '4';
      h[16] = '89ab'.charAt(int(4));
      const s = h.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i -= 1) {
        const j = int(i + 1);
        const a = items[i];
        const b = items[j];
        if (a === undefined || b === undefined) continue;
        items[i] = b;
        items[j] = a;
      }
      return items;
    },
  };
}
