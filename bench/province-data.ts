/**
 * The synthetic data of `npm run bench -- --province`: reporting units, listed subjects with one
 * triaged listing each, and the counters, flows and enterprise counts that agree with them. Every item
 * is built by the code that builds it in use (the subject and listing item builders, triage's
 * classification, tally and due day, the counting deltas), so the table holds what a year of imports and
 * triage would have left, written by BatchWrite instead of one transaction per change.
 *
 * The units: Shijiazhuang's 24 (functions/domain/district.ts), the only ones the system knows; for a
 * province, the other ten cities of Hebei get synthesized 6-digit codes (prefecture code + 01, 02, …,
 * 146 in all, about as many per city as each has county-level units), so the province has 170. They are
 * placeholders, not GB/T 2260 assignments.
 */
import { subjectDeltas } from '#domain/counting.ts';
import { DISTRICTS } from '#domain/district.ts';
import { monthRange, shiftMonth } from '#domain/evaluation-figures.ts';
import { type Listing, type ListType, type Subject, shanghaiDate, shanghaiMonth } from '#domain/model.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { classifyListing } from '#domain/triage.ts';
import { dueOnOf, nextClassification, tallyDeltas, tallyOf } from '#domain/triage-state.ts';
import { orgCodeCheckChar, uscc18CheckChar } from '#domain/uscc.ts';
import { enterpriseCountPut } from '#storage/enterprise-count-store.ts';
import { ITEM_TYPES, keys } from '#storage/keys.ts';
import { listingItem, subjectItem } from '#storage/subject-items.ts';

/** Hebei's ten other prefecture-level cities (唐山 … 衡水) and the units synthesized for each. */
const OTHER_CITIES: readonly { prefecture: string; units: number }[] = [
  { prefecture: '1302', units: 14 },
  { prefecture: '1303', units: 7 },
  { prefecture: '1304', units: 18 },
  { prefecture: '1305', units: 18 },
  { prefecture: '1306', units: 24 },
  { prefecture: '1307', units: 16 },
  { prefecture: '1308', units: 11 },
  { prefecture: '1309', units: 16 },
  { prefecture: '1310', units: 10 },
  { prefecture: '1311', units: 12 },
];

/** The city's 24 units: the codes the evaluation, the counts and re-triage of `all` know. */
export const CITY_UNITS: readonly string[] = DISTRICTS.map((district) => district.code);

/** The province's 170 units: the city's 24, then the synthesized ones. */
export const PROVINCE_UNITS: readonly string[] = [
  ...CITY_UNITS,
  ...OTHER_CITIES.flatMap(({ prefecture, units }) =>
    Array.from({ length: units }, (_, index) => `${prefecture}${String(index + 1).padStart(2, '0')}`),
  ),
];

/** The list types of the four departments' lists, with a designating department each. */
const LISTS: readonly { listType: ListType; department: string; source: string }[] = [
  { listType: 'court-debtor', department: '人民法院', source: 'court' },
  { listType: 'tax-violation', department: '国家税务总局税务局', source: 'tax' },
  { listType: 'procurement-violation', department: '财政局', source: 'procurement' },
  { listType: 'market-violation', department: '市场监督管理局', source: 'market' },
];

/** The campaign's first month: listed dates spread from here to the month before this one. */
const FIRST_MONTH = '2022-11';
/** Legal-person enterprises per listed subject: a ratio of 1% in every unit. */
const ENTERPRISES_PER_LISTED = 100;

export const SEEDER: ChangedBy = {
  principal: 'bench',
  role: 'system',
  cause: { kind: 'system', id: 'bench-province' },
};

/** A valid enterprise USCC (91…) registered in `unit`, unique by `serial`. */
export function unitUscc(unit: string, serial: number): string {
  const body = String(serial).padStart(8, '0');
  const first17 = `91${unit}${body}${orgCodeCheckChar(body)}`;
  return first17 + uscc18CheckChar(first17);
}

/** Per district (or month and district): attribute → sum. */
type Sums = Map<string, Record<string, number>>;

function addTo(sums: Sums, district: string, attribute: string, delta: number) {
  const entry = sums.get(district) ?? {};
  entry[attribute] = (entry[attribute] ?? 0) + delta;
  sums.set(district, entry);
}

/** What the seed leaves besides the subjects and listings: the sums the counters and flows must hold. */
export class SeedTotals {
  readonly counters: Sums = new Map();
  /** Month → district → flow attribute → sum. */
  readonly flows = new Map<string, Sums>();
  readonly listedByUnit = new Map<string, number>();

  add(subject: Subject, listing: Listing, month: string) {
    const moved = subjectDeltas(subject.uscc, undefined, {
      district: subject.district,
      activeListings: subject.activeListings,
      activeByListType: subject.activeByListType ?? {},
    });
    for (const { district, attribute, delta } of [
      ...moved.counters,
      ...tallyDeltas(undefined, listing.tally),
    ])
      addTo(this.counters, district, attribute, delta);
    const monthFlows = this.flows.get(month) ?? new Map();
    for (const { district, attribute, delta } of moved.flows) addTo(monthFlows, district, attribute, delta);
    this.flows.set(month, monthFlows);
    this.listedByUnit.set(subject.district, (this.listedByUnit.get(subject.district) ?? 0) + 1);
  }
}

/** The months listed dates fall in: the campaign's first through the month before `now`'s. */
export function listedMonths(now: Date): string[] {
  return monthRange(FIRST_MONTH, shiftMonth(shanghaiMonth(now), -1));
}

/**
 * Listed subject number `index` of the run (units taken in turn), its listing triaged as triage leaves
 * it under the built-in rule table: the two items, and the subject and listing for the totals.
 */
export function listedSubject(
  index: number,
  units: readonly string[],
  months: readonly string[],
  now: Date,
): { items: Record<string, unknown>[]; subject: Subject; listing: Listing; month: string } {
  const unit = units[index % units.length] as string;
  const list = LISTS[index % LISTS.length] as (typeof LISTS)[number];
  const month = months[index % months.length] as string;
  const uscc = unitUscc(unit, index + 1);
  const at = now.toISOString();
  const today = shanghaiDate(now);
  const subject: Subject = {
    uscc,
    name: `某某商贸有限公司${String(index + 1).padStart(6, '0')}`,
    district: unit,
    districtSource: 'column',
    registrationStatus: index % 7 === 0 ? 'revoked' : 'active',
    flags: index % 11 === 0 ? { lostContact: true } : {},
    activeListings: 1,
    activeByListType: { [list.listType]: 1 },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const documentNo = `(${month.slice(0, 4)})冀${unit.slice(2)}第${index + 1}号`;
  const listing: Listing = {
    uscc,
    listType: list.listType,
    key: documentNo,
    department: list.department,
    caseNo: documentNo,
    listedAt: `${month}-05`,
    reason: '严重失信',
    status: 'active',
    district: unit,
    source: list.source,
    createdAt: at,
    updatedAt: at,
  };
  const decision = classifyListing({ listing, subject, asOf: today, rules: DEFAULT_RULE_TABLE });
  const classified = { ...listing, classification: nextClassification(undefined, decision, now, today) };
  const tally = tallyOf(classified, today);
  const dueOn = dueOnOf(classified, today);
  const stored: Listing = {
    ...classified,
    ...(tally === undefined ? {} : { tally }),
    ...(dueOn === undefined ? {} : { dueOn }),
  };
  return {
    items: [subjectItem(subject, SEEDER), listingItem(stored, 1, SEEDER)],
    subject,
    listing: stored,
    month,
  };
}

/**
 * The counters (current, shard 0), the monthly flows (shard 0) and the last month's enterprise counts,
 * each district's sums in one item, as the shards of counterActions sum when read.
 */
export function figureItems(totals: SeedTotals, units: readonly string[], now: Date) {
  const at = now.toISOString();
  const items: Record<string, unknown>[] = [];
  for (const [district, sums] of totals.counters)
    items.push({
      ...keys.currentCounter(0, district),
      type: ITEM_TYPES.counter,
      district,
      updatedAt: at,
      ...sums,
    });
  for (const [month, byDistrict] of totals.flows)
    for (const [district, sums] of byDistrict)
      items.push({
        ...keys.monthlyFlow(month, 0, district),
        type: ITEM_TYPES.flow,
        district,
        updatedAt: at,
        ...sums,
      });
  const lastMonth = shiftMonth(shanghaiMonth(now), -1);
  for (const unit of units) {
    const enterprises = Math.max(1, (totals.listedByUnit.get(unit) ?? 0) * ENTERPRISES_PER_LISTED);
    const put = enterpriseCountPut(
      { tableName: '' },
      { month: lastMonth, district: unit, enterprises },
      SEEDER,
      at,
    );
    items.push(put.Put?.Item as Record<string, unknown>);
  }
  return items;
}
