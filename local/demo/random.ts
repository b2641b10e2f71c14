/**
 * The demo city's seeded randomness and the small helpers built on it (picks, ranges, Shanghai instants,
 * UUID-shaped ids): the same seed gives the same draws on every machine.
 */

export type Random = () => number;

/** mulberry32: small, fast and the same on every machine. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

export const pad2 = (value: number) => String(value).padStart(2, '0');

/** An instant inside a Shanghai day, as ISO in UTC. */
export function shanghaiInstant(date: string, hour: number, minute: number): string {
  return new Date(`${date}T${pad2(hour)}:${pad2(minute)}:00+08:00`).toISOString();
}

/** A UUID-shaped id from the seeded stream, so the same seed gives the same exits. */
export function seededUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
