/**
 * The demo city, made purely from a seed ({@link generateCity}): its enterprise counts and benchmarks by
 * month, and month by month the subjects newly listed and the exits confirmed, sized so that the city's
 * ratio starts near 1.35% and falls every month.
 */
import { DISTRICTS } from '#domain/district.ts';
import { DEFAULT_CAMPAIGN } from '#domain/evaluation.ts';
import { monthRange, shiftMonth } from '#domain/evaluation-figures.ts';
import { chooseExits, exitOf, exitWeight, type Placed } from './exits.ts';
import { listingMaker } from './listing.ts';
import { type Random, seededRandom } from './random.ts';
import type { CityOptions, DemoCity, DemoListing, DemoMonth } from './types.ts';

export const DEMO_SEED = 20221031;

/** The default city: 8 000 listed subjects, 12 000–45 000 enterprises per reporting unit (see README). */
export const DEMO_SUBJECTS = 8_000;

/** Share of the subjects already listed when the campaign began (written in its first month). */
const STOCK_SHARE = 0.8;
/** The city ratio at the end of the first month. */
const START_RATIO = 0.0135;
/** What is left of the first month's stock at the end of the last month. */
const END_SHARE = 0.75;
/** Enterprises grow a little every month. */
const MONTHLY_GROWTH = 0.004;

/** Relative size of each reporting unit's enterprises (urban districts and the high-tech zone largest). */
const ENTERPRISE_WEIGHTS: Readonly<Record<string, number>> = {
  '130102': 3.0,
  '130104': 3.4,
  '130105': 2.8,
  '130107': 1.0,
  '130108': 3.6,
  '130109': 1.6,
  '130110': 1.5,
  '130111': 1.2,
  '130121': 1.0,
  '130123': 1.6,
  '130125': 1.0,
  '130126': 1.0,
  '130127': 1.0,
  '130128': 1.0,
  '130129': 1.0,
  '130130': 1.1,
  '130131': 1.2,
  '130132': 1.1,
  '130133': 1.2,
  '130181': 1.7,
  '130183': 1.3,
  '130184': 1.1,
  '130171': 2.2,
  '130172': 1.0,
};

/** Each unit's enterprises in the first month, summing to `total`, every unit at least a 24th of half. */
function enterpriseBase(total: number): Map<string, number> {
  const weightSum = DISTRICTS.reduce((sum, { code }) => sum + (ENTERPRISE_WEIGHTS[code] ?? 1), 0);
  return new Map(
    DISTRICTS.map(({ code }) => [code, Math.round((total * (ENTERPRISE_WEIGHTS[code] ?? 1)) / weightSum)]),
  );
}

/**
 * The listed subjects at the end of each month: the stock of the first month falling to `END_SHARE`
 * of it, fast at first and slower later, strictly down so that the city ratio falls every month.
 */
function listedPath(stock: number, months: number): number[] {
  const end = Math.round(stock * END_SHARE);
  return Array.from({ length: months }, (_, index) => {
    if (index === 0 || months === 1) return stock;
    const rest = 1 - index / (months - 1);
    return Math.round(end + (stock - end) * (0.5 * rest * rest + 0.5 * rest));
  });
}

/** How many subjects are newly listed in each month: the stock first, the rest spread over the others. */
function newPerMonth(subjects: number, months: number): number[] {
  if (months === 1) return [subjects];
  const stock = Math.round(subjects * STOCK_SHARE);
  const later = subjects - stock;
  return Array.from({ length: months }, (_, index) => {
    if (index === 0) return stock;
    const share = Math.floor(later / (months - 1));
    return index <= later % (months - 1) ? share + 1 : share;
  });
}

/** The campaign's months from its first to `currentMonth` (Asia/Shanghai), both included. */
export function campaignMonths(currentMonth: string): string[] {
  const first = (DEFAULT_CAMPAIGN.phases[0]?.from ?? '2022-11-01').slice(0, 7);
  // the plan phase starts on 10-31: the campaign's first month of work is the one after
  return monthRange(first.endsWith('-10') ? shiftMonth(first, 1) : first, currentMonth);
}

/** The whole city, from the seed alone: the same options give the same city. */
export function generateCity(options: CityOptions): DemoCity {
  const random = seededRandom(options.seed ?? DEMO_SEED);
  const months = options.months;
  if (months.length === 0) throw new RangeError('a demo city needs at least one month');
  const perMonth = newPerMonth(options.subjects, months.length);
  const stock = perMonth[0] ?? 0;
  const base = enterpriseBase(stock / START_RATIO);
  const nextListing = listingMaker(random, districtPicker(random, base));
  const listed = { perMonth, path: listedPath(stock, months.length) };
  const cityByMonth = monthsOf(random, months, listed, nextListing);
  return {
    enterprises: enterpriseMonths(random, base, options.countMonths ?? months),
    benchmarks: benchmarkMonths(options.countMonths ?? months),
    months: cityByMonth,
  };
}

/**
 * Draws where a listing is placed: by the unit's enterprises times a propensity drawn once per unit, so
 * that some districts list more than their size says and the ranking has a top and a bottom.
 */
function districtPicker(random: Random, base: ReadonlyMap<string, number>) {
  const propensity = new Map(DISTRICTS.map(({ code }) => [code, 0.6 + random() * 0.9]));
  const placeWeights = DISTRICTS.map((district) => ({
    district,
    weight: (base.get(district.code) ?? 0) * (propensity.get(district.code) ?? 1),
  }));
  const placeSum = placeWeights.reduce((sum, { weight }) => sum + weight, 0);
  return () => {
    let draw = random() * placeSum;
    for (const { district, weight } of placeWeights) {
      if (draw < weight) return district;
      draw -= weight;
    }
    return DISTRICTS[0];
  };
}

/**
 * Each month's new listings (`perMonth`) and its exits: as many as bring the listed subjects down to
 * `path` at the month's end, chosen from everything listed before the month and not yet gone.
 */
function monthsOf(
  random: Random,
  months: readonly string[],
  listed: { readonly perMonth: readonly number[]; readonly path: readonly number[] },
  nextListing: (month: string, first: boolean) => DemoListing,
): DemoMonth[] {
  const { perMonth, path } = listed;
  const result: DemoMonth[] = [];
  let pool: Placed[] = [];
  for (const [index, month] of months.entries()) {
    const listings = Array.from({ length: perMonth[index] ?? 0 }, () => nextListing(month, index === 0));
    const previous = index === 0 ? 0 : (path[index - 1] ?? 0);
    const exitCount = index === 0 ? 0 : Math.max(0, previous + listings.length - (path[index] ?? 0));
    const { chosen, kept } = chooseExits(random, pool, exitCount);
    result.push({ month, listings, exits: chosen.map((listing) => exitOf(random, month, listing)) });
    pool = [...kept, ...listings.map((listing) => ({ listing, weight: exitWeight(listing) }))];
  }
  return result;
}

function enterpriseMonths(random: Random, base: ReadonlyMap<string, number>, months: readonly string[]) {
  return new Map(
    months.map((month, index) => [
      month,
      new Map(
        [...base].map(([district, count]) => [
          district,
          Math.round(count * (1 + MONTHLY_GROWTH) ** index * (1 + (random() - 0.5) * 0.002)),
        ]),
      ),
    ]),
  );
}

/** The average of provincial capitals and sub-provincial cities, easing from 1.3% to 0.9%. */
function benchmarkMonths(months: readonly string[]): Map<string, number> {
  return new Map(
    months.map((month, index) => [
      month,
      Number((0.013 - (0.004 * index) / Math.max(1, months.length - 1)).toFixed(5)),
    ]),
  );
}
