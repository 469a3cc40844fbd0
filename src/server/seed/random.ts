/** Deterministic pseudo-random numbers (mulberry32): the same seed always builds the same city. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    /** A point within `km` of a centre (flat approximation, fine at city scale). */
    near: (lon: number, lat: number, km: number) => {
      const r = km * Math.sqrt(next());
      const theta = next() * 2 * Math.PI;
      return {
        lon: lon + (r * Math.cos(theta)) / (111.32 * Math.cos((lat * Math.PI) / 180)),
        lat: lat + (r * Math.sin(theta)) / 110.57,
      };
    },
  };
}

export type Random = ReturnType<typeof createRandom>;
