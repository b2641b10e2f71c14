/**
 * The arithmetic of the monthly evaluation (docs/rules.md, Monthly evaluation). Pure:
 * the store reads the counters, the monthly flows, the enterprise counts and the benchmarks, and this
 * turns them into the snapshot. The numerator at the end of a month is never counted from listings: it
 * is the current counter minus what the flows of every later month added, so a month long past costs a
 * few reads per month since, whatever the number of listed subjects.
 */
import { addMonths } from './calendar-dates.ts';
import { COUNTER, FLOW } from './counting.ts';
import { DISTRICTS } from './district.ts';
import type {
  Campaign,
  CampaignMilestone,
  CityFigure,
  DistrictFigure,
  DriftLine,
  EvaluationFlows,
  EvaluationSnapshot,
  MilestoneResult,
  MonthOnMonth,
} from './evaluation.ts';
import { LIST_TYPES, type ListType, TRIAGE_LISTS, type TriageList } from './model.ts';
import { TRIAGE_COUNTER } from './triage-state.ts';

/** Per district: counter or flow attribute → value. */
export type Counts = ReadonlyMap<string, Readonly<Record<string, number>>>;

/**
 * How far back the latest enterprise count is looked for: a district that loaded none for two years has
 * no denominator rather than a stale one.
 */
export const COUNTS_LOOKBACK_MONTHS = 24;

/** Everything the evaluation of `month` reads. */
export interface EvaluationData {
  readonly month: string;
  readonly computedAt: string;
  /** The month of `computedAt` (Asia/Shanghai): the flows are read through it. */
  readonly currentMonth: string;
  readonly campaign: Campaign;
  readonly ruleTableVersion: string;
  /** The current counters (`STAT#CURRENT`), summed over shards. */
  readonly current: Counts;
  /** The flows of each month of {@link flowMonths}. */
  readonly flows: ReadonlyMap<string, Counts>;
  /** Enterprise counts per month, district → count, over {@link countsMonths}. */
  readonly enterpriseCounts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Benchmark ratios per month, over {@link countsMonths}. */
  readonly benchmarks: ReadonlyMap<string, number>;
  readonly drift: readonly DriftLine[];
}

/** `yyyy-mm` shifted by `months`. */
export function shiftMonth(month: string, months: number): string {
  return addMonths(`${month}-01`, months).slice(0, 7);
}

/** The months from `from` to `to`, both included (none when `from` is later). */
export function monthRange(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = shiftMonth(month, 1)) months.push(month);
  return months;
}

/**
 * The months whose figures the evaluation of `month` needs: the month, the one before (month on
 * month), and every milestone month already due with its reference month.
 */
export function judgedMonths(month: string, campaign: Campaign): string[] {
  const months = new Set([month, shiftMonth(month, -1)]);
  for (const milestone of campaign.milestones) {
    const due = milestone.due.slice(0, 7);
    if (due > month) continue;
    months.add(due);
    if (milestone.rule.kind === 'below-month') months.add(milestone.rule.reference);
  }
  return [...months].sort();
}

/** The months whose flows the evaluation reads: after the earliest judged month, through `currentMonth`. */
export function flowMonths(month: string, campaign: Campaign, currentMonth: string): string[] {
  const earliest = judgedMonths(month, campaign)[0] ?? month;
  return monthRange(shiftMonth(earliest, 1), currentMonth);
}

/** The months whose enterprise counts and benchmarks may serve a judged month. */
export function countsMonths(month: string, campaign: Campaign): string[] {
  const earliest = judgedMonths(month, campaign)[0] ?? month;
  return monthRange(shiftMonth(earliest, -COUNTS_LOOKBACK_MONTHS), month);
}

/** Why a month cannot be evaluated yet, or undefined when it can: only a month that has ended. */
export function unevaluableMonth(month: string, currentMonth: string): string | undefined {
  return month >= currentMonth ? `${month} 尚未结束，不能评估（当前为 ${currentMonth}）` : undefined;
}

function scoped(
  record: Readonly<Record<string, number>> | undefined,
  attribute: (p: string) => string,
  prefixes: readonly string[],
) {
  let sum = 0;
  for (const prefix of prefixes) sum += record?.[attribute(prefix)] ?? 0;
  return sum;
}

function flowsOf(
  record: Readonly<Record<string, number>> | undefined,
  prefixes: readonly string[],
): EvaluationFlows {
  const newlyListed = scoped(record, FLOW.newlyListedByPrefix, prefixes);
  const exited = scoped(record, FLOW.exitedByPrefix, prefixes);
  const movedIn = scoped(record, FLOW.movedInByPrefix, prefixes);
  const movedOut = scoped(record, FLOW.movedOutByPrefix, prefixes);
  return { newlyListed, exited, movedIn, movedOut, net: newlyListed - exited + movedIn - movedOut };
}

function addFlows(a: EvaluationFlows, b: EvaluationFlows): EvaluationFlows {
  return {
    newlyListed: a.newlyListed + b.newlyListed,
    exited: a.exited + b.exited,
    movedIn: a.movedIn + b.movedIn,
    movedOut: a.movedOut + b.movedOut,
    net: a.net + b.net,
  };
}

const NO_FLOWS: EvaluationFlows = { newlyListed: 0, exited: 0, movedIn: 0, movedOut: 0, net: 0 };

/** A district's figures at the end of one month. */
interface MonthFigure {
  readonly numerator: number;
  readonly denominator: number | null;
  readonly denominatorMonth: string | null;
  readonly ratio: number | null;
}

interface CityAt {
  readonly numerator: number;
  readonly denominator: number;
  readonly ratio: number | null;
  readonly missing: string[];
}

/** The figures of every reporting unit and the city at the end of any judged month. */
class MonthFigures {
  private readonly reportingUnits = new Set<string>(DISTRICTS.map((d) => d.code));

  constructor(private readonly data: EvaluationData) {}

  /** Subjects in scope listed in `district` at the end of `month`: now, less what later months added. */
  numerator(district: string, month: string): number {
    const { current, flows, currentMonth, campaign } = this.data;
    let numerator = scoped(current.get(district), COUNTER.listedByPrefix, campaign.scopePrefixes);
    for (const later of monthRange(shiftMonth(month, 1), currentMonth)) {
      numerator -= flowsOf(flows.get(later)?.get(district), campaign.scopePrefixes).net;
    }
    return numerator;
  }

  /** The enterprise count of the month, or the latest before it within the look-back. */
  denominator(district: string, month: string): { value: number; month: string } | undefined {
    for (let back = 0; back <= COUNTS_LOOKBACK_MONTHS; back++) {
      const candidate = shiftMonth(month, -back);
      const value = this.data.enterpriseCounts.get(candidate)?.get(district);
      if (value !== undefined) return { value, month: candidate };
    }
    return undefined;
  }

  district(district: string, month: string): MonthFigure {
    const numerator = this.numerator(district, month);
    const denominator = this.denominator(district, month);
    return {
      numerator,
      denominator: denominator?.value ?? null,
      denominatorMonth: denominator?.month ?? null,
      ratio: ratioOf(numerator, denominator?.value),
    };
  }

  /** Each reporting unit once (the zones are units of their own, never added to a host district too). */
  city(month: string): CityAt {
    let numerator = 0;
    let denominator = 0;
    const missing: string[] = [];
    for (const { code } of DISTRICTS) {
      const figure = this.district(code, month);
      numerator += figure.numerator;
      if (figure.denominator === null) missing.push(code);
      else denominator += figure.denominator;
    }
    return {
      numerator,
      denominator,
      missing,
      ratio: missing.length > 0 ? null : ratioOf(numerator, denominator),
    };
  }

  /** Listed subjects in scope under no reporting unit (unassigned, or a code that is none). */
  unassigned(month: string): number {
    let sum = 0;
    const codes = new Set(this.data.current.keys());
    for (const monthFlows of this.data.flows.values()) for (const code of monthFlows.keys()) codes.add(code);
    for (const code of codes) if (!this.reportingUnits.has(code)) sum += this.numerator(code, month);
    return sum;
  }

  flows(district: string, month: string): EvaluationFlows {
    return flowsOf(this.data.flows.get(month)?.get(district), this.data.campaign.scopePrefixes);
  }
}

function ratioOf(numerator: number, denominator: number | undefined): number | null {
  return denominator === undefined || denominator <= 0 ? null : numerator / denominator;
}

function change(
  previousMonth: string,
  now: { numerator: number; ratio: number | null },
  before: { numerator: number; ratio: number | null },
): MonthOnMonth {
  return {
    previousMonth,
    previousNumerator: before.numerator,
    previousRatio: before.ratio,
    ratioChange: now.ratio === null || before.ratio === null ? null : now.ratio - before.ratio,
    numeratorChange: now.numerator - before.numerator,
  };
}

function activeCounts(record: Readonly<Record<string, number>> | undefined) {
  const byListType: Partial<Record<ListType, number>> = {};
  for (const listType of LIST_TYPES) {
    const value = record?.[COUNTER.activeByListType(listType)] ?? 0;
    if (value !== 0) byListType[listType] = value;
  }
  const byTriageList: Partial<Record<TriageList | 'unclassified', number>> = {};
  let classified = 0;
  for (const list of TRIAGE_LISTS) {
    const value = record?.[TRIAGE_COUNTER.list(list)] ?? 0;
    classified += value;
    if (value !== 0) byTriageList[list] = value;
  }
  const unclassified = (record?.[COUNTER.activeListings] ?? 0) - classified;
  if (unclassified !== 0) byTriageList.unclassified = unclassified;
  return { byListType, byTriageList };
}

/** Rounds away the last bits of floating error, so equal fractions compare equal. */
function comparable(value: number | null): number {
  return value === null ? 0 : Math.round(value * 1e12) / 1e12;
}

/**
 * Ranks by ratio (1 = lowest), then by the larger decrease over the month (an unknown change counts as
 * none); districts equal on both share a rank. Districts without a ratio are not ranked.
 */
export function rankDistricts(
  rows: readonly { district: string; ratio: number | null; ratioChange: number | null }[],
): Map<string, number> {
  const ranked = rows
    .filter(
      (row): row is { district: string; ratio: number; ratioChange: number | null } => row.ratio !== null,
    )
    .sort(
      (a, b) =>
        comparable(a.ratio) - comparable(b.ratio) ||
        comparable(a.ratioChange) - comparable(b.ratioChange) ||
        a.district.localeCompare(b.district),
    );
  const ranks = new Map<string, number>();
  ranked.forEach((row, index) => {
    const previous = ranked[index - 1];
    const tied =
      previous !== undefined &&
      comparable(previous.ratio) === comparable(row.ratio) &&
      comparable(previous.ratioChange) === comparable(row.ratioChange);
    ranks.set(row.district, tied ? (ranks.get(previous.district) ?? index + 1) : index + 1);
  });
  return ranks;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(3)}%`;
}

/** The month's benchmark or the latest loaded before it within the look-back. */
function benchmarkAt(benchmarks: ReadonlyMap<string, number>, month: string) {
  for (let back = 0; back <= COUNTS_LOOKBACK_MONTHS; back++) {
    const candidate = shiftMonth(month, -back);
    const value = benchmarks.get(candidate);
    if (value !== undefined) return { month: candidate, value };
  }
  return undefined;
}

function judgeMilestone(
  milestone: CampaignMilestone,
  month: string,
  figures: MonthFigures,
  data: EvaluationData,
): MilestoneResult {
  const head = { id: milestone.id, label: milestone.label, due: milestone.due };
  const dueMonth = milestone.due.slice(0, 7);
  if (dueMonth > month) return { ...head, met: null, detail: `未到期（${milestone.due}）` };
  const city = figures.city(dueMonth);
  if (city.ratio === null) {
    return {
      ...head,
      met: null,
      detail: `${dueMonth} 缺少法人企业数（${city.missing.join('、')}），无法判断`,
    };
  }
  const ratio = city.ratio;
  switch (milestone.rule.kind) {
    case 'below-target': {
      const target = data.campaign.targetRatio;
      return {
        ...head,
        met: ratio < target,
        detail: `${dueMonth} 全市占比 ${percent(ratio)}，目标 ${percent(target)}`,
      };
    }
    case 'below-benchmark': {
      const benchmark = benchmarkAt(data.benchmarks, dueMonth);
      if (benchmark === undefined)
        return { ...head, met: null, detail: `${dueMonth} 尚无对标数据，无法判断` };
      return {
        ...head,
        met: ratio < benchmark.value,
        detail: `${dueMonth} 全市占比 ${percent(ratio)}，${benchmark.month} 省会及副省级城市平均 ${percent(benchmark.value)}`,
      };
    }
    case 'below-month': {
      const reference = figures.city(milestone.rule.reference);
      if (reference.ratio === null) {
        return { ...head, met: null, detail: `${milestone.rule.reference} 缺少法人企业数，无法判断` };
      }
      return {
        ...head,
        met: ratio < reference.ratio,
        detail: `${dueMonth} 全市占比 ${percent(ratio)}，${milestone.rule.reference} 为 ${percent(reference.ratio)}`,
      };
    }
  }
}

/** The best and the worst `count` ranked districts (worst first), never naming one district as both. */
function named(ranks: ReadonlyMap<string, number>, count: number) {
  const order = [...ranks.entries()].sort((a, b) => a[1] - b[1]).map(([district]) => district);
  const best = order.slice(0, count);
  const worst = order.slice(count).reverse().slice(0, count);
  return { best, worst };
}

/** The snapshot of `data.month` from what the store read. */
export function evaluateMonth(data: EvaluationData): EvaluationSnapshot {
  const { month, campaign } = data;
  const previousMonth = shiftMonth(month, -1);
  const figures = new MonthFigures(data);
  const rows = DISTRICTS.map((unit) => {
    const now = figures.district(unit.code, month);
    const before = figures.district(unit.code, previousMonth);
    return { unit, now, change: change(previousMonth, now, before) };
  });
  const ranks = rankDistricts(
    rows.map(({ unit, now, change: c }) => ({
      district: unit.code,
      ratio: now.ratio,
      ratioChange: c.ratioChange,
    })),
  );
  const districts: DistrictFigure[] = rows.map(({ unit, now, change: c }) => ({
    district: unit.code,
    name: unit.name,
    kind: unit.kind,
    ...now,
    flows: figures.flows(unit.code, month),
    ...activeCounts(data.current.get(unit.code)),
    rank: ranks.get(unit.code) ?? null,
    aboveTarget: now.ratio === null ? null : now.ratio >= campaign.targetRatio,
    change: c,
  }));
  const cityNow = figures.city(month);
  const cityBefore = figures.city(previousMonth);
  const city: CityFigure = {
    numerator: cityNow.numerator,
    denominator: cityNow.denominator,
    ratio: cityNow.ratio,
    flows: districts.reduce((sum, d) => addFlows(sum, d.flows), NO_FLOWS),
    monthOnMonth: change(previousMonth, cityNow, cityBefore),
    missingDenominators: cityNow.missing,
    aboveTarget: cityNow.ratio === null ? null : cityNow.ratio >= campaign.targetRatio,
  };
  const countsMonths = Object.fromEntries(
    districts.flatMap((d) => (d.denominatorMonth === null ? [] : [[d.district, d.denominatorMonth]])),
  );
  const usedMonths = Object.values(countsMonths).sort();
  return {
    month,
    computedAt: data.computedAt,
    inputs: {
      countsMonths,
      countsMonth: usedMonths[0] ?? null,
      ruleTableVersion: data.ruleTableVersion,
      campaignVersion: campaign.version,
      flowsThrough: data.currentMonth,
    },
    campaign: {
      version: campaign.version,
      name: campaign.name,
      targetRatio: campaign.targetRatio,
      scopePrefixes: campaign.scopePrefixes,
    },
    city,
    districts,
    unassigned: figures.unassigned(month),
    ranking: named(ranks, campaign.namedCount),
    milestones: campaign.milestones.map((m) => judgeMilestone(m, month, figures, data)),
    benchmark: benchmarkAt(data.benchmarks, month),
    drift: data.drift,
  };
}

/**
 * The figures a rerun must reproduce from the same data: the numerators, denominators, flows and
 * changes, not the counts as at the run (active listings by list and list type move with every
 * import) nor what the campaign makes of them.
 */
export function dataFigures(snapshot: EvaluationSnapshot) {
  return {
    city: {
      numerator: snapshot.city.numerator,
      denominator: snapshot.city.denominator,
      flows: snapshot.city.flows,
      monthOnMonth: snapshot.city.monthOnMonth,
    },
    districts: snapshot.districts.map((d) => ({
      district: d.district,
      numerator: d.numerator,
      denominator: d.denominator,
      denominatorMonth: d.denominatorMonth,
      flows: d.flows,
      change: d.change,
    })),
    unassigned: snapshot.unassigned,
    benchmark: snapshot.benchmark ?? null,
  };
}

/** JSON with the keys of every object sorted: a stored map comes back from the table in any order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/**
 * Why a stored snapshot no longer matches the data (a Chinese sentence naming what moved), or
 * undefined when a rerun would give the same figures.
 */
export function staleReason(stored: EvaluationSnapshot, fresh: EvaluationSnapshot): string | undefined {
  const before = dataFigures(stored);
  const after = dataFigures(fresh);
  if (canonical(before) === canonical(after)) return undefined;
  const moved: string[] = [];
  for (const [index, row] of after.districts.entries()) {
    const old = before.districts[index];
    if (old === undefined) continue;
    const name = fresh.districts[index]?.name ?? row.district;
    if (old.numerator !== row.numerator) moved.push(`${name}失信企业数 ${old.numerator}→${row.numerator}`);
    if (old.denominator !== row.denominator || old.denominatorMonth !== row.denominatorMonth) {
      moved.push(
        `${name}法人企业数 ${old.denominator ?? '无'}（${old.denominatorMonth ?? '—'}）→${row.denominator ?? '无'}（${row.denominatorMonth ?? '—'}）`,
      );
    }
  }
  if (canonical(before.benchmark) !== canonical(after.benchmark)) moved.push('对标数据');
  if (before.unassigned !== after.unassigned)
    moved.push(`未落区主体 ${before.unassigned}→${after.unassigned}`);
  const what = moved.length > 0 ? moved.slice(0, 5).join('；') : '上月或本月的数据';
  return `${stored.month} 评估后，涉及该月的数据有变动（${what}${moved.length > 5 ? '等' : ''}），请重新评估`;
}
