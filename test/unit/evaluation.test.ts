/**
 * The evaluation's arithmetic with known figures per district: the numerator at the end of a month from
 * the counters and later months' flows, denominators of the month or the latest before it, ratios,
 * ranking, milestones, month on month, and what makes a stored snapshot stale.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISTRICTS } from '#domain/district.ts';
import { type Campaign, DEFAULT_CAMPAIGN } from '#domain/evaluation.ts';
import {
  type Counts,
  countsMonths,
  type EvaluationData,
  evaluateMonth,
  flowMonths,
  judgedMonths,
  rankDistricts,
  staleReason,
  unevaluableMonth,
} from '#domain/evaluation-figures.ts';
import { campaignSchema } from '../../functions/api/routes/campaigns.ts';

const OTHERS = DISTRICTS.map((d) => d.code).filter((code) => !['130102', '130104', '130171'].includes(code));

function counts(entries: Record<string, Record<string, number>>): Counts {
  return new Map(Object.entries(entries));
}

function perDistrict(entries: Record<string, number>, others?: number): Map<string, number> {
  const map = new Map(Object.entries(entries));
  if (others !== undefined) for (const code of OTHERS) map.set(code, others);
  return map;
}

/**
 * 长安区 (130102), 桥西区 (130104) and 高新区 (130171, a zone) hold listed enterprises; the 21 others
 * none. Evaluated for 2023-03 from data as of 2023-05.
 */
function marchData(overrides: Partial<EvaluationData> = {}): EvaluationData {
  return {
    month: '2023-03',
    computedAt: '2023-05-02T00:00:00.000Z',
    currentMonth: '2023-05',
    campaign: DEFAULT_CAMPAIGN,
    ruleTableVersion: 'rules-1',
    current: counts({
      '130102': {
        listed_91: 10,
        listed_12: 3,
        'active_court-debtor': 12,
        activeListings: 14,
        triage_exit: 4,
        triage_assist: 6,
      },
      '130104': { listed_91: 30 },
      '130171': { listed_91: 5 },
      UNASSIGNED: { listed_91: 2 },
    }),
    flows: new Map([
      ['2023-03', counts({ '130102': { newlyListed_91: 4, exited_91: 2, newlyListed_12: 9 } })],
      ['2023-04', counts({ '130102': { newlyListed_91: 2, exited_91: 1 } })],
      [
        '2023-05',
        counts({
          '130102': { movedOut_91: 1 },
          '130104': { exited_91: 5, movedIn_91: 1 },
        }),
      ],
    ]),
    enterpriseCounts: new Map([
      ['2023-01', perDistrict({ '130102': 1000 }, 100)],
      ['2023-02', perDistrict({ '130171': 1000 })],
      ['2023-03', perDistrict({ '130102': 1000, '130104': 2000 })],
    ]),
    benchmarks: new Map(),
    drift: [],
    ...overrides,
  };
}

describe('evaluateMonth', () => {
  it('takes each later month’s net flow off the current counters, in scope (91) only', () => {
    // Act
    const snapshot = evaluateMonth(marchData());
    const row = (code: string) => snapshot.districts.find((d) => d.district === code);
    // Assess: 长安区 10 now, +1 in April, −1 moved out in May: 10 at the end of March
    expect(row('130102')).toMatchObject({
      numerator: 10,
      denominator: 1000,
      denominatorMonth: '2023-03',
      ratio: 0.01,
    });
    // 桥西区 30 now, May: −5 exited, +1 moved in: 34 at the end of March
    expect(row('130104')).toMatchObject({ numerator: 34, denominator: 2000, ratio: 0.017 });
    // 高新区 has no count of March: February's is used, and its month shown
    expect(row('130171')).toMatchObject({
      numerator: 5,
      denominator: 1000,
      denominatorMonth: '2023-02',
      ratio: 0.005,
    });
    expect(row('130105')).toMatchObject({
      numerator: 0,
      denominator: 100,
      denominatorMonth: '2023-01',
      ratio: 0,
    });
    expect(snapshot.unassigned).toBe(2);
  });

  it('sums the 24 reporting units once each for the city, the zones as units of their own', () => {
    // Act
    const { city, districts, inputs } = evaluateMonth(marchData());
    // Assess
    expect(districts).toHaveLength(24);
    expect(districts.filter((d) => d.kind === 'zone').map((d) => d.district)).toEqual(['130171', '130172']);
    expect(city.numerator).toBe(49);
    expect(city.denominator).toBe(1000 + 2000 + 1000 + 21 * 100);
    expect(city.ratio).toBeCloseTo(49 / 6100, 12);
    expect(city.aboveTarget).toBe(false);
    expect(inputs).toMatchObject({
      countsMonth: '2023-01',
      ruleTableVersion: 'rules-1',
      campaignVersion: 1,
      flowsThrough: '2023-05',
    });
    expect(inputs.countsMonths['130171']).toBe('2023-02');
  });

  it('reports the month’s flows and the change against the month before', () => {
    // Act
    const snapshot = evaluateMonth(marchData());
    const changan = snapshot.districts.find((d) => d.district === '130102');
    // Assess: the flows of March in scope (the 12-prefixed newly listed are not)
    expect(changan?.flows).toEqual({ newlyListed: 4, exited: 2, movedIn: 0, movedOut: 0, net: 2 });
    expect(changan?.change).toMatchObject({
      previousMonth: '2023-02',
      previousNumerator: 8,
      previousRatio: 0.008,
      numeratorChange: 2,
    });
    expect(changan?.change.ratioChange).toBeCloseTo(0.002, 12);
    expect(snapshot.city.flows.net).toBe(2);
    // the end of February: 长安区 8, 桥西区 34, 高新区 5
    expect(snapshot.city.monthOnMonth.previousNumerator).toBe(47);
  });

  it('flags at or above the target, ranks from the lowest ratio and names the best and the worst', () => {
    // Act
    const snapshot = evaluateMonth(marchData());
    const row = (code: string) => snapshot.districts.find((d) => d.district === code);
    // Assess
    expect(row('130102')?.aboveTarget).toBe(true);
    expect(row('130104')?.aboveTarget).toBe(true);
    expect(row('130171')?.aboveTarget).toBe(false);
    expect(row('130105')?.rank).toBe(1);
    expect(row('130171')?.rank).toBe(22);
    expect(row('130102')?.rank).toBe(23);
    expect(row('130104')?.rank).toBe(24);
    expect(snapshot.ranking.worst).toEqual(['130104', '130102', '130171']);
    expect(snapshot.ranking.best).toHaveLength(3);
  });

  it('keeps the active listings by list type and triage list as at the run', () => {
    const changan = evaluateMonth(marchData()).districts.find((d) => d.district === '130102');
    expect(changan?.byListType).toEqual({ 'court-debtor': 12 });
    expect(changan?.byTriageList).toEqual({ exit: 4, assist: 6, unclassified: 4 });
  });

  it('judges a milestone on its month’s figures once due, and leaves the later ones open', () => {
    // Act
    const { milestones } = evaluateMonth(marchData());
    // Assess
    expect(milestones.map((m) => [m.id, m.met])).toEqual([
      ['below-target', true],
      ['below-benchmark', null],
      ['lower-again', null],
    ]);
    expect(milestones[0]?.detail).toBe('2023-03 全市占比 0.803%，目标 1.000%');
    expect(milestones[1]?.detail).toBe('未到期（2023-06-30）');
  });

  it('counts every configured prefix when the scope is wider', () => {
    const campaign: Campaign = { ...DEFAULT_CAMPAIGN, scopePrefixes: ['91', '12'] };
    const changan = evaluateMonth(marchData({ campaign })).districts.find((d) => d.district === '130102');
    expect(changan?.numerator).toBe(13);
    expect(changan?.flows.newlyListed).toBe(13);
  });

  it('leaves the city ratio open while a district has no count at all', () => {
    // Prepare
    const enterpriseCounts = new Map([['2023-03', perDistrict({ '130102': 1000 })]]);
    // Act
    const snapshot = evaluateMonth(marchData({ enterpriseCounts }));
    // Assess
    expect(snapshot.city.ratio).toBeNull();
    expect(snapshot.city.missingDenominators).toHaveLength(23);
    expect(snapshot.districts.find((d) => d.district === '130104')).toMatchObject({
      ratio: null,
      rank: null,
      aboveTarget: null,
    });
    expect(snapshot.milestones[0]?.met).toBeNull();
  });
});

describe('milestones at the end of the campaign', () => {
  /** 长安区: 25 listed through June, 5 exited in September, 20 since; every unit 1 000 enterprises. */
  function yearEnd(benchmark: number): EvaluationData {
    return {
      ...marchData(),
      month: '2023-12',
      currentMonth: '2024-01',
      computedAt: '2024-01-01T18:00:00.000Z',
      current: counts({ '130102': { listed_91: 20 } }),
      flows: new Map([['2023-09', counts({ '130102': { exited_91: 5 } })]]),
      enterpriseCounts: new Map([
        ['2023-01', perDistrict({ '130102': 1000, '130104': 1000, '130171': 1000 }, 1000)],
      ]),
      benchmarks: new Map([['2023-05', benchmark]]),
    };
  }

  it('compares June with the benchmark loaded last before it, and December with June', () => {
    // Act
    const { milestones, benchmark } = evaluateMonth(yearEnd(0.002));
    // Assess
    expect(milestones.map((m) => m.met)).toEqual([true, true, true]);
    expect(milestones[1]?.detail).toBe('2023-06 全市占比 0.104%，2023-05 省会及副省级城市平均 0.200%');
    expect(milestones[2]?.detail).toBe('2023-12 全市占比 0.083%，2023-06 为 0.104%');
    expect(benchmark).toEqual({ month: '2023-05', value: 0.002 });
  });

  it('says not met when the city is above the benchmark', () => {
    const { milestones } = evaluateMonth(yearEnd(0.001));
    expect(milestones[1]?.met).toBe(false);
  });

  it('reads the flows and counts of exactly the months it judges', () => {
    expect(judgedMonths('2023-12', DEFAULT_CAMPAIGN)).toEqual(['2023-03', '2023-06', '2023-11', '2023-12']);
    expect(flowMonths('2023-12', DEFAULT_CAMPAIGN, '2024-01')[0]).toBe('2023-04');
    expect(flowMonths('2023-12', DEFAULT_CAMPAIGN, '2024-01').at(-1)).toBe('2024-01');
    expect(countsMonths('2023-12', DEFAULT_CAMPAIGN)[0]).toBe('2021-03');
  });
});

describe('rankDistricts', () => {
  it('ranks the lowest ratio first, then the larger decrease; equal on both share a rank', () => {
    const ranks = rankDistricts([
      { district: 'B', ratio: 0.01, ratioChange: -0.001 },
      { district: 'A', ratio: 0.01, ratioChange: -0.002 },
      { district: 'C', ratio: 0.01, ratioChange: -0.002 },
      { district: 'D', ratio: 0.005, ratioChange: 0.003 },
      { district: 'E', ratio: null, ratioChange: null },
      { district: 'F', ratio: 1 / 100, ratioChange: null },
    ]);
    expect(Object.fromEntries(ranks)).toEqual({ D: 1, A: 2, C: 2, B: 4, F: 5 });
  });
});

describe('unevaluableMonth', () => {
  it('refuses the current and future months, not the month just ended', () => {
    expect(unevaluableMonth('2023-04', '2023-05')).toBeUndefined();
    expect(unevaluableMonth('2023-05', '2023-05')).toContain('尚未结束');
    expect(unevaluableMonth('2023-06', '2023-05')).toContain('尚未结束');
  });
});

describe('staleReason', () => {
  it('is silent when the data gives the same figures, and names what moved otherwise', () => {
    // Prepare
    const stored = evaluateMonth(marchData());
    const again = evaluateMonth({ ...marchData(), computedAt: '2023-05-03T00:00:00.000Z' });
    const lateExit = evaluateMonth(
      marchData({
        current: counts({ ...Object.fromEntries(marchData().current), '130102': { listed_91: 9 } }),
        flows: new Map([
          ...marchData().flows,
          ['2023-03', counts({ '130102': { newlyListed_91: 4, exited_91: 3 } })],
        ]),
      }),
    );
    // Act / Assess
    expect(staleReason(stored, again)).toBeUndefined();
    expect(staleReason(stored, lateExit)).toBe(
      '2023-03 评估后，涉及该月的数据有变动（长安区失信企业数 10→9），请重新评估',
    );
  });
});

describe('campaignSchema', () => {
  const day = fc
    .date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10));
  const phase = fc
    .tuple(day, day, fc.constantFrom('制定措施', '组织实施', '总结提升'))
    .map(([a, b, label]) => {
      const [from, to] = [a, b].sort();
      return { id: 'phase', label, from, to };
    });
  const campaign = fc.record({
    name: fc.constantFrom('专项治理', '第二轮专项治理'),
    phases: fc
      .array(phase, { maxLength: 5 })
      .map((phases) => phases.map((p, index) => ({ ...p, id: `p${index}` }))),
    targetRatio: fc.double({ min: 0.0001, max: 0.5, noNaN: true }),
    milestones: fc
      .array(fc.tuple(day, fc.constantFrom('below-target', 'below-benchmark')), { maxLength: 5 })
      .map((list) =>
        list.map(([due, kind], index) => ({ id: `m${index}`, label: '目标', due, rule: { kind } })),
      ),
    scopePrefixes: fc.uniqueArray(fc.constantFrom('91', '92', '93', '12', '51', '52'), {
      minLength: 1,
      maxLength: 4,
    }),
    namedCount: fc.integer({ min: 1, max: 12 }),
  });

  it('accepts every well-formed campaign as it is', () => {
    fc.assert(
      fc.property(campaign, (value) => {
        const parsed = campaignSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(value);
      }),
    );
  });

  it('refuses a campaign with a prefix that is not two USCC characters, or a ratio outside (0, 1)', () => {
    fc.assert(
      fc.property(
        campaign,
        fc.oneof(
          fc.string({ maxLength: 1 }),
          fc.string({ minLength: 3, maxLength: 5 }),
          fc.constantFrom('9I', 'ab'),
        ),
        fc.oneof(fc.double({ max: 0, noNaN: true }), fc.double({ min: 1, noNaN: true })),
        (value, prefix, ratio) => {
          expect(campaignSchema.safeParse({ ...value, scopePrefixes: [prefix] }).success).toBe(false);
          expect(campaignSchema.safeParse({ ...value, targetRatio: ratio }).success).toBe(false);
        },
      ),
    );
  });

  it('accepts the plan’s own campaign', () => {
    const { version: _version, ...plan } = DEFAULT_CAMPAIGN;
    expect(campaignSchema.safeParse(plan).success).toBe(true);
  });
});
