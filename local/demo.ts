/**
 * `npm start -- --demo`: a synthetic city loaded into an empty data folder through the store's own
 * writes, so the trail, the counters and the monthly flows are what real use makes. The city is made
 * first, purely and from a fixed seed ({@link generateCity}); then written month by month with a clock
 * inside each month ({@link writeCity}), so each month's flows land in it; then every ended month is
 * evaluated ({@link evaluateCity}) so the reports are ready to open.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { planRecordListing, planRegistryUpdate } from '#domain/changes.ts';
import { DISTRICTS } from '#domain/district.ts';
import { DEFAULT_CAMPAIGN } from '#domain/evaluation.ts';
import { monthRange, shiftMonth } from '#domain/evaluation-figures.ts';
import { planExitConfirmed, planExitPending, planExitStep } from '#domain/exit-steps.ts';
import {
  confirmExit,
  type Evidence,
  type ExitActor,
  type ExitDecision,
  type ExitReason,
  type ExitRequest,
  reviewExit,
} from '#domain/exits.ts';
import {
  type ListType,
  type RegistrationStatus,
  type SubjectFlags,
  shanghaiMonth,
  TRIAGE_LISTS,
} from '#domain/model.ts';
import type { ChangedBy } from '#domain/trail.ts';
import { TRIAGE_COUNTER } from '#domain/triage-state.ts';
import { orgCodeCheckChar, uscc18CheckChar } from '#domain/uscc.ts';
import { createReportWriter } from '#shared/evaluation-report/report-files.ts';
import { silentLogger } from '#shared/logger.ts';
import { readCurrentCounters } from '#storage/counter-store.ts';
import { reportContextReader } from '#storage/evaluation-report-context.ts';
import { runEvaluation } from '#storage/evaluation-run.ts';
import { putBenchmark, putEnterpriseCounts } from '#storage/evaluation-store.ts';
import { advanceExit, openExit } from '#storage/exit-store.ts';
import { ITEM_TYPES } from '#storage/keys.ts';
import { changeSubjectWith, type StoreDeps } from '#storage/subject-store.ts';
import { newSubmission } from '../functions/exits/routes/submissions.ts';
import { createFileDropStore } from './adapters/file-drop-store.ts';
import { localSubject } from './auth.ts';
import type { LocalRuntime } from './environment.ts';
import { localStore } from './handlers.ts';

// ---------------------------------------------------------------- the city, made purely

export interface CityOptions {
  /** Listed subjects over the whole campaign (one listing each). */
  readonly subjects: number;
  /** The months with listings and exits, oldest first (ended months: they are evaluated). */
  readonly months: readonly string[];
  /** Months with enterprise counts and a benchmark. @default months */
  readonly countMonths?: readonly string[];
  /** @default DEMO_SEED */
  readonly seed?: number;
}

export interface DemoListing {
  readonly uscc: string;
  readonly name: string;
  readonly district: string;
  readonly listType: ListType;
  readonly key: string;
  readonly department: string;
  readonly listedAt: string;
  readonly reason: string;
  readonly registrationStatus: RegistrationStatus;
  readonly movedTo?: string;
  readonly flags: SubjectFlags;
  /** When the listing is written (ISO): its month takes the newly-listed flow. */
  readonly writtenAt: string;
}

export interface DemoExit {
  readonly exitId: string;
  readonly uscc: string;
  readonly listType: ListType;
  readonly key: string;
  readonly department: string;
  readonly district: string;
  readonly request: ExitRequest;
  readonly submittedAt: string;
  readonly reviewedAt: string;
  readonly confirmedAt: string;
}

export interface DemoMonth {
  readonly month: string;
  readonly listings: readonly DemoListing[];
  readonly exits: readonly DemoExit[];
}

export interface DemoCity {
  /** month → district → legal-person enterprises. */
  readonly enterprises: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** month → the benchmark ratio of provincial capitals and sub-provincial cities. */
  readonly benchmarks: ReadonlyMap<string, number>;
  readonly months: readonly DemoMonth[];
}

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

/** mulberry32: small, fast and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

const pad2 = (value: number) => String(value).padStart(2, '0');

/** An instant inside a Shanghai day, as ISO in UTC. */
function shanghaiInstant(date: string, hour: number, minute: number): string {
  return new Date(`${date}T${pad2(hour)}:${pad2(minute)}:00+08:00`).toISOString();
}

/** A UUID-shaped id from the seeded stream, so the same seed gives the same exits. */
function seededUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** A valid USCC (both check characters) of a registration kind, division and organisation number. */
export function makeUscc(kind: '91' | '92' | '93', division: string, orgNumber: number): string {
  const body = String(orgNumber).padStart(8, '0');
  const first17 = `${kind}${division}${body}${orgCodeCheckChar(body)}`;
  return first17 + uscc18CheckChar(first17);
}

const NAME_WORDS = [
  '恒泰',
  '华信',
  '宏达',
  '鑫源',
  '盛世',
  '永兴',
  '金诚',
  '德润',
  '瑞丰',
  '天成',
  '众合',
  '博远',
  '中冀',
  '冀润',
  '通达',
  '安泰',
  '嘉禾',
  '昌盛',
  '润泽',
  '佳华',
  '广源',
  '新禾',
  '汇丰',
  '裕民',
];
const TRADES = [
  '商贸',
  '建筑工程',
  '机械设备',
  '物流',
  '房地产开发',
  '医药',
  '食品',
  '纺织',
  '化工',
  '建材',
  '装饰工程',
  '信息技术',
  '农业科技',
  '汽车销售',
  '餐饮管理',
  '环保科技',
];

function companyName(random: Random, district: (typeof DISTRICTS)[number]): string {
  const place = district.kind === 'zone' ? '石家庄' : `石家庄${district.shortName}`;
  const suffix = random() < 0.2 ? '股份有限公司' : '有限公司';
  return `${place}${pick(random, NAME_WORDS)}${pick(random, TRADES)}${suffix}`;
}

/** The four list types of the demo, with the share of listings each gets. */
const DEMO_LIST_TYPES: readonly (readonly [ListType, number])[] = [
  ['court-debtor', 0.55],
  ['tax-violation', 0.2],
  ['market-violation', 0.17],
  ['procurement-violation', 0.08],
];

function listTypeOf(random: Random): ListType {
  let draw = random();
  for (const [listType, share] of DEMO_LIST_TYPES) {
    if (draw < share) return listType;
    draw -= share;
  }
  return 'court-debtor';
}

/** The designating department of a list type in a reporting unit (谁认定). */
export function departmentOf(listType: ListType, district: (typeof DISTRICTS)[number]): string {
  switch (listType) {
    case 'court-debtor':
      return district.kind === 'zone' ? '石家庄市中级人民法院' : `石家庄市${district.name}人民法院`;
    case 'tax-violation':
      return `国家税务总局石家庄市${district.kind === 'zone' ? district.fullName.replace('石家庄', '') : district.name}税务局`;
    case 'market-violation':
      return `石家庄市${district.kind === 'zone' ? district.shortName : district.name}市场监督管理局`;
    default:
      return '石家庄市财政局';
  }
}

const REASONS: Readonly<Record<ListType, readonly string[]>> = {
  'court-debtor': [
    '有履行能力而拒不履行生效法律文书确定义务',
    '违反财产报告制度',
    '以虚假诉讼、仲裁等方式规避执行',
  ],
  'tax-violation': ['虚开增值税专用发票', '逃避追缴欠税', '骗取出口退税'],
  'market-violation': ['提供虚假材料骗取市场主体登记', '生产销售不符合安全标准的食品', '严重违法失信经营'],
  'procurement-violation': ['提供虚假材料谋取中标、成交', '与采购人恶意串通'],
  other: ['其他严重失信行为'],
};

function caseKey(random: Random, listType: ListType, district: string, year: string, serial: number): string {
  switch (listType) {
    case 'court-debtor':
      return `(${year})冀${district.slice(2)}执${serial}号`;
    case 'tax-violation':
      return `石税稽罚〔${year}〕${serial}号`;
    case 'market-violation':
      return `石市监处罚〔${year}〕${between(random, 1, 9)}${serial}号`;
    default:
      return `石财采处〔${year}〕${serial}号`;
  }
}

/** The registry's view of a subject: mostly active, some gone (deregistered, revoked, moved out). */
function registryOf(random: Random): Pick<DemoListing, 'registrationStatus' | 'movedTo' | 'flags'> {
  const draw = random();
  if (draw < 0.62) return { registrationStatus: 'active', flags: {} };
  if (draw < 0.72) return { registrationStatus: 'active', flags: { lostContact: true, abnormal: true } };
  if (draw < 0.75) return { registrationStatus: 'suspended', flags: {} };
  if (draw < 0.86) return { registrationStatus: 'deregistered', flags: {} };
  if (draw < 0.94) return { registrationStatus: 'revoked', flags: {} };
  return {
    registrationStatus: 'moved-out',
    movedTo: pick(random, ['保定市', '邢台市', '衡水市', '北京市']),
    flags: {},
  };
}

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

interface Placed {
  readonly listing: DemoListing;
  readonly weight: number;
}

/** The whole city, from the seed alone: the same options give the same city. */
export function generateCity(options: CityOptions): DemoCity {
  const random = seededRandom(options.seed ?? DEMO_SEED);
  const months = options.months;
  if (months.length === 0) throw new RangeError('a demo city needs at least one month');
  const perMonth = newPerMonth(options.subjects, months.length);
  const stock = perMonth[0] ?? 0;
  const path = listedPath(stock, months.length);
  const firstTotal = stock / START_RATIO;
  const base = enterpriseBase(firstTotal);
  // some districts list more than their size says: the ranking then has a top and a bottom
  const propensity = new Map(DISTRICTS.map(({ code }) => [code, 0.6 + random() * 0.9]));
  const placeWeights = DISTRICTS.map((district) => ({
    district,
    weight: (base.get(district.code) ?? 0) * (propensity.get(district.code) ?? 1),
  }));
  const placeSum = placeWeights.reduce((sum, { weight }) => sum + weight, 0);
  const placeDistrict = () => {
    let draw = random() * placeSum;
    for (const { district, weight } of placeWeights) {
      if (draw < weight) return district;
      draw -= weight;
    }
    return DISTRICTS[0];
  };

  const usedOrgNumbers = new Set<number>();
  let serial = 100;
  const listingOf = (monthIndex: number): DemoListing => {
    const month = months[monthIndex] as string;
    const district = placeDistrict();
    let orgNumber = between(random, 10_000_000, 99_999_999);
    while (usedOrgNumbers.has(orgNumber)) orgNumber = between(random, 10_000_000, 99_999_999);
    usedOrgNumbers.add(orgNumber);
    const kind = random() < 0.94 ? '91' : random() < 0.8 ? '92' : '93';
    const division = district.kind === 'zone' ? '130100' : district.code;
    const listType = listTypeOf(random);
    const writtenDay = between(random, 1, 28);
    const writtenDate = `${month}-${pad2(writtenDay)}`;
    // the first month's stock was listed before the campaign, over the years before it
    const listedAt =
      monthIndex === 0
        ? `${between(random, 2019, 2022)}-${pad2(between(random, 1, 10))}-${pad2(between(random, 1, 28))}`
        : `${month}-${pad2(between(random, 1, writtenDay))}`;
    serial += between(random, 1, 40);
    return {
      uscc: makeUscc(kind, division, orgNumber),
      name: companyName(random, district),
      district: district.code,
      listType,
      key: caseKey(random, listType, district.code, listedAt.slice(0, 4), serial),
      department: departmentOf(listType, district),
      listedAt,
      reason: pick(random, REASONS[listType]),
      ...registryOf(random),
      writtenAt: shanghaiInstant(writtenDate, between(random, 9, 17), between(random, 0, 59)),
    };
  };

  const result: DemoMonth[] = [];
  let pool: Placed[] = [];
  for (const [index, month] of months.entries()) {
    const listings = Array.from({ length: perMonth[index] ?? 0 }, () => listingOf(index));
    const previous = index === 0 ? 0 : (path[index - 1] ?? 0);
    const exitCount = index === 0 ? 0 : Math.max(0, previous + listings.length - (path[index] ?? 0));
    const { chosen, kept } = chooseExits(random, pool, exitCount);
    result.push({ month, listings, exits: chosen.map((listing) => exitOf(random, month, listing)) });
    pool = [...kept, ...listings.map((listing) => ({ listing, weight: exitWeight(listing) }))];
  }
  return {
    enterprises: enterpriseMonths(random, base, options.countMonths ?? months),
    benchmarks: benchmarkMonths(options.countMonths ?? months),
    months: result,
  };
}

/** Gone subjects leave first (on the exit list, evidence at hand); unreachable ones last (constraint list). */
function exitWeight(listing: DemoListing): number {
  if (listing.registrationStatus === 'suspended' || listing.flags.lostContact === true) return 0.5;
  return listing.registrationStatus === 'active' ? 1.5 : 5;
}

/** `count` of the pool by weight, without replacement (Efraimidis–Spirakis keys). */
function chooseExits(random: Random, pool: readonly Placed[], count: number) {
  const keyed = pool.map((placed) => ({ placed, key: random() ** (1 / placed.weight) }));
  keyed.sort((a, b) => b.key - a.key);
  return {
    chosen: keyed.slice(0, count).map(({ placed }) => placed.listing),
    kept: keyed.slice(count).map(({ placed }) => placed),
  };
}

function exitReasonOf(random: Random, listing: DemoListing): { reason: ExitReason; evidence: Evidence } {
  const year = listing.writtenAt.slice(0, 4);
  const number = between(random, 1, 999);
  if (listing.registrationStatus === 'deregistered')
    return {
      reason: 'deregistered',
      evidence: { kind: 'registry-record', ref: `石市监注销字〔${year}〕第${number}号` },
    };
  if (listing.registrationStatus === 'moved-out')
    return {
      reason: 'moved-out',
      evidence: { kind: 'registry-record', ref: `石市监迁字〔${year}〕第${number}号` },
    };
  if (random() < 0.5)
    return {
      reason: 'credit-repaired',
      evidence: { kind: 'repair-decision', ref: `冀信修〔${year}〕第${number}号` },
    };
  return {
    reason: 'obligations-performed',
    evidence: { kind: 'payment-proof', ref: `缴款凭证${year}${number}` },
  };
}

/** An exit inside `month`: effective, submitted, reviewed and confirmed on days of that month. */
function exitOf(random: Random, month: string, listing: DemoListing): DemoExit {
  const submitDay = between(random, 2, 22);
  const reviewDay = submitDay + between(random, 1, 3);
  const confirmDay = reviewDay + between(random, 0, 3);
  const effectiveDate = `${month}-${pad2(between(random, 1, submitDay))}`;
  const { reason, evidence } = exitReasonOf(random, listing);
  return {
    exitId: seededUuid(random),
    uscc: listing.uscc,
    listType: listing.listType,
    key: listing.key,
    department: listing.department,
    district: listing.district,
    request: {
      reason,
      effectiveDate,
      evidence: [evidence],
      publicationRevoked: {
        system: listing.listType === 'court-debtor' ? '中国执行信息公开网' : '信用中国（河北石家庄）',
        date: `${month}-${pad2(submitDay)}`,
      },
    },
    submittedAt: shanghaiInstant(`${month}-${pad2(submitDay)}`, 9, between(random, 0, 59)),
    reviewedAt: shanghaiInstant(`${month}-${pad2(reviewDay)}`, 14, between(random, 0, 59)),
    confirmedAt: shanghaiInstant(`${month}-${pad2(confirmDay)}`, 16, between(random, 0, 59)),
  };
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

// ---------------------------------------------------------------- writing it

const LOADER: ChangedBy = {
  principal: 'system:demo',
  role: 'system',
  cause: { kind: 'system', id: 'demo-city' },
  reason: '演示城市：名单与登记状态',
};

export type WriteProgress = (line: string) => void;

/** The store with a clock stopped at `at`: the write's flows land in that month. */
function at(store: StoreDeps, instant: string): StoreDeps {
  const now = new Date(instant);
  return { ...store, clock: { now: () => now } };
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

/** One listing as an import writes it, with the registry's status, in one transaction. */
async function writeListing(store: StoreDeps, listing: DemoListing): Promise<void> {
  const ref = { uscc: listing.uscc, listType: listing.listType, key: listing.key };
  await changeSubjectWith(at(store, listing.writtenAt), listing.uscc, LOADER, () => [
    {
      ref,
      planner: planRecordListing(
        { uscc: listing.uscc, name: listing.name, district: listing.district, districtSource: 'column' },
        {
          listType: listing.listType,
          key: listing.key,
          department: listing.department,
          caseNo: listing.key,
          listedAt: listing.listedAt,
          reason: listing.reason,
          ...(listing.listType === 'court-debtor' ? { performance: 'none' } : {}),
          source: 'demo',
        },
        () => undefined,
      ),
    },
    {
      planner: planRegistryUpdate(
        {
          registrationStatus: listing.registrationStatus,
          ...(listing.movedTo === undefined ? {} : { movedTo: listing.movedTo }),
          flags: listing.flags,
        },
        () => undefined,
      ),
    },
  ]);
}

function officeActor(actor: ExitActor, exitId: string, reason: string): ChangedBy {
  const { at: _at, ...who } = actor;
  return { ...who, cause: { kind: 'request', id: `demo-${exitId}` }, reason };
}

/** The four-eyes path: the department submits, the district office reviews, the city confirms. */
async function writeExit(store: StoreDeps, exit: DemoExit): Promise<void> {
  const ref = { uscc: exit.uscc, listType: exit.listType, key: exit.key };
  const department: ExitActor = {
    principal: localSubject({ role: 'department', department: exit.department }),
    role: 'department',
    department: exit.department,
    at: exit.submittedAt,
  };
  const office: ExitDecision = {
    principal: localSubject({ role: 'district', district: exit.district }),
    role: 'district',
    district: exit.district,
    at: exit.reviewedAt,
    decision: 'approve',
    comment: '材料齐全，同意退出',
  };
  const city: ExitDecision = {
    principal: localSubject({ role: 'city' }),
    role: 'city',
    at: exit.confirmedAt,
    decision: 'approve',
    comment: '同意退出',
  };
  await openExit(
    at(store, exit.submittedAt),
    ref,
    officeActor(department, exit.exitId, '申报退出'),
    (current) => {
      if (current.subject === undefined || current.listing === undefined)
        throw new Error(`demo: listing of ${exit.uscc} not written`);
      return newSubmission(
        exit.exitId,
        { subject: current.subject, listing: current.listing },
        { ...exit.request, round: 1, submitted: department },
      );
    },
    planExitPending,
  );
  await advanceExit(
    at(store, exit.reviewedAt),
    exit.exitId,
    officeActor(office, exit.exitId, '区县信用办审核通过'),
    {
      next: (stored) => reviewExit(stored, office),
      listing: planExitStep,
    },
  );
  await advanceExit(
    at(store, exit.confirmedAt),
    exit.exitId,
    officeActor(city, exit.exitId, '市信用办确认退出'),
    {
      next: (stored) => confirmExit(stored, city),
      listing: (next) => planExitConfirmed(next, exit.request),
      flowMonth: () => exit.request.effectiveDate.slice(0, 7),
    },
  );
}

const COUNTS_LOADER: ChangedBy = {
  principal: 'local:city',
  role: 'city',
  cause: { kind: 'system', id: 'demo-city' },
  reason: '演示城市：企业法人数与对标值',
};

/** Writes the city month by month through the store; `width` writes run at once. */
export async function writeCity(
  store: StoreDeps,
  city: DemoCity,
  progress: WriteProgress = () => undefined,
  width = 8,
): Promise<void> {
  for (const [month, counts] of city.enterprises) {
    const inMonth = at(store, `${month}-01T02:00:00.000Z`);
    await putEnterpriseCounts(inMonth, month, counts, COUNTS_LOADER);
    const benchmark = city.benchmarks.get(month);
    if (benchmark !== undefined) await putBenchmark(inMonth, month, benchmark, COUNTS_LOADER);
  }
  progress(`enterprise counts of ${city.enterprises.size} months written`);
  for (const { month, listings, exits } of city.months) {
    const started = Date.now();
    await inParallel(listings, width, (listing) => writeListing(store, listing));
    await inParallel(exits, width, (exit) => writeExit(store, exit));
    progress(
      `${month}: ${listings.length} listed, ${exits.length} exits confirmed (${Date.now() - started} ms)`,
    );
  }
}

// ---------------------------------------------------------------- evaluating it

const EVALUATOR: ChangedBy = {
  principal: 'system:demo',
  role: 'system',
  cause: { kind: 'system', id: 'demo-city' },
  reason: '演示城市：逐月评估',
};

/** Evaluates the months in order (each month's trend reads the ones before), writing the reports. */
export async function evaluateCity(
  store: StoreDeps,
  dropRoot: string,
  months: readonly string[],
  progress: WriteProgress = () => undefined,
): Promise<Map<string, number | null>> {
  const writeReports = createReportWriter(createFileDropStore(dropRoot), reportContextReader(store));
  const ratios = new Map<string, number | null>();
  for (const month of months) {
    const stored = await runEvaluation({ store, logger: silentLogger, writeReports }, month, EVALUATOR);
    const { ratio, numerator, denominator } = stored.snapshot.city;
    ratios.set(month, ratio);
    progress(
      `${month} evaluated: ${numerator} / ${denominator} = ${ratio === null ? '—' : `${(ratio * 100).toFixed(3)}%`}`,
    );
  }
  return ratios;
}

// ---------------------------------------------------------------- npm start -- --demo

/** The table already holds subjects: the demo loads only into an empty data folder. */
export class DemoRefusedError extends Error {
  constructor(readonly dataFolder: string) {
    super(
      `演示数据只能载入空的数据目录：${dataFolder} 中已有主体数据。请换一个目录，例如 LOCAL_DIR=.local-demo npm start -- --demo\n` +
        `the demo city loads only into an empty data folder: ${dataFolder} already holds subjects. ` +
        'Use another one, e.g. LOCAL_DIR=.local-demo npm start -- --demo',
    );
    this.name = 'DemoRefusedError';
  }
}

/** Whether any subject is stored (a scan that stops at the first one). */
export async function holdsSubjects(store: Pick<StoreDeps, 'client' | 'tableName'>): Promise<boolean> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.client.send(
      new ScanCommand({
        TableName: store.tableName,
        FilterExpression: '#type = :subject',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':subject': ITEM_TYPES.subject },
        ProjectionExpression: 'PK',
        ExclusiveStartKey: start,
      }),
    );
    if ((page.Items?.length ?? 0) > 0) return true;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return false;
}

/** Active listings triage has not placed yet, over the city. */
export async function unclassifiedListings(store: StoreDeps): Promise<number> {
  let unclassified = 0;
  for (const record of (await readCurrentCounters(store)).values()) {
    const classified = TRIAGE_LISTS.reduce((sum, list) => sum + (record[TRIAGE_COUNTER.list(list)] ?? 0), 0);
    unclassified += (record.activeListings ?? 0) - classified;
  }
  return unclassified;
}

/** The runtime triages from the table's stream by itself; the evaluations wait until it has caught up. */
async function waitForTriage(store: StoreDeps, log: (line: string) => void, timeoutMs = 600_000) {
  const started = Date.now();
  let last = -1;
  for (;;) {
    const left = await unclassifiedListings(store);
    if (left <= 0) return;
    if (Date.now() - started > timeoutMs) {
      log(`demo: triage still has ${left} listings to place; evaluating anyway`);
      return;
    }
    if (left !== last) log(`demo: waiting for triage (${left} listings not yet placed)`);
    last = left;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** What to open first, and how. */
export function demoLines(baseUrl: string, lastMonth: string): string[] {
  const report = `${baseUrl}/evaluations/${lastMonth}/report?format=html`;
  return [
    '',
    'demo city loaded. Open first the evaluation report of the last month:',
    `  ${report}`,
    '  TOKEN=$(npm run -s token -- city)',
    `  curl -H "Authorization: Bearer $TOKEN" -o report.html '${report}'`,
    `  curl -H "Authorization: Bearer $TOKEN" ${baseUrl}/evaluations`,
  ];
}

/**
 * Loads the demo city into the runtime's empty table, waits for triage, evaluates every ended month of
 * the campaign, and answers the lines that say what to open first.
 */
export async function loadDemo(runtime: LocalRuntime, subjects = DEMO_SUBJECTS): Promise<string[]> {
  const store = localStore(runtime.dynamoEndpoint, runtime.tableName);
  if (await holdsSubjects(store)) throw new DemoRefusedError(runtime.paths.root);
  const currentMonth = shanghaiMonth(new Date());
  const all = campaignMonths(currentMonth);
  const ended = all.filter((month) => month < currentMonth);
  const city = generateCity({ subjects, months: ended, countMonths: all });
  const log = (line: string) => runtime.log(`demo: ${line}`);
  log(`${subjects} subjects over ${ended.length} months, 24 reporting units`);
  await writeCity(store, city, log);
  await waitForTriage(store, runtime.log);
  await evaluateCity(store, runtime.paths.dropbox, ended, log);
  return demoLines(runtime.baseUrl, ended.at(-1) ?? currentMonth);
}
