import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '#domain/calendar-dates.ts';
import {
  LIST_TYPES,
  type Listing,
  REGISTRATION_STATUSES,
  type Subject,
  TRIAGE_LISTS,
} from '#domain/model.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import { classifyListing, type Decision, sameDecision } from '#domain/triage.ts';

const REFUSES = '有履行能力而拒不履行生效法律文书确定义务';
const EVADES = '违反财产报告制度';

function subject(overrides: Partial<Subject> = {}): Subject {
  return {
    uscc: '91130100MA0CXXXX0X',
    name: '石家庄某某商贸有限公司',
    district: '130102',
    districtSource: 'column',
    registrationStatus: 'active',
    flags: {},
    activeListings: 1,
    version: 1,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function listing(overrides: Partial<Listing> = {}): Listing {
  return {
    uscc: '91130100MA0CXXXX0X',
    listType: 'court-debtor',
    key: '(2024)冀0102执123号',
    department: '长安区人民法院',
    listedAt: '2024-12-01',
    reason: EVADES,
    performance: 'none',
    status: 'active',
    district: '130102',
    source: 'court-debtor',
    createdAt: '2024-12-02T00:00:00.000Z',
    updatedAt: '2024-12-02T00:00:00.000Z',
    ...overrides,
  };
}

function classify(
  asOf: string,
  listingOverrides: Partial<Listing> = {},
  subjectOverrides: Partial<Subject> = {},
) {
  return classifyListing({
    listing: listing(listingOverrides),
    subject: subject(subjectOverrides),
    asOf,
    rules: DEFAULT_RULE_TABLE,
  });
}

describe('classifyListing: one test per rule', () => {
  it('E1: a deregistered subject goes straight to the exit list', () => {
    // Act
    const decision = classify('2025-03-01', {}, { registrationStatus: 'deregistered' });

    // Assess
    expect(decision).toMatchObject({ list: 'exit', track: 'direct', ruleId: 'E1' });
    expect(decision.reason).toBe('企业登记状态为“注销”，符合直接退出条件（规则E1）');
    expect(decision.inputs).toMatchObject({ registrationStatus: 'deregistered', listType: 'court-debtor' });
    expect(decision.ruleTableVersion).toBe(DEFAULT_RULE_TABLE.version);
  });

  it.each([
    ['revoked-deregistered', '吊销，已注销'],
    ['cancelled', '撤销'],
    ['liquidating', '清算中'],
  ] as const)('E1: status %s exits directly', (registrationStatus, label) => {
    // Act
    const decision = classify('2025-03-01', {}, { registrationStatus });

    // Assess
    expect(decision.ruleId).toBe('E1');
    expect(decision.reason).toContain(`“${label}”`);
  });

  it('E1: a subject moved out names its destination; one in bankruptcy names the stage', () => {
    // Act
    const moved = classify('2025-03-01', {}, { registrationStatus: 'moved-out', movedTo: '北京市' });
    const bankrupt = classify('2025-03-01', {}, { flags: { bankruptcy: true, bankruptcyStage: '破产重整' } });

    // Assess
    expect(moved.reason).toBe('企业登记状态为“迁出”（迁往北京市），符合直接退出条件（规则E1）');
    expect(bankrupt.reason).toBe('已进入破产程序（破产重整），符合直接退出条件（规则E1）');
    expect(bankrupt.inputs).toMatchObject({ bankruptcy: true, bankruptcyStage: '破产重整' });
  });

  it('E2: a court-debtor listed 2024-12-01 on fixed-term grounds expires on 2026-12-01', () => {
    // Act
    const before = classify('2026-11-30');
    const on = classify('2026-12-01');

    // Assess
    expect(before).toMatchObject({ list: 'assist', ruleId: 'A1', nextReviewDate: '2026-12-01' });
    expect(on).toMatchObject({ list: 'exit', track: 'expired', ruleId: 'E2' });
    expect(on.reason).toBe('列入日期为2024-12-01，期限2年，于2026-12-01届满，符合期满退出条件（规则E2）');
    expect(on.inputs.termEndsOn).toBe('2026-12-01');
    expect(on.nextReviewDate).toBeUndefined();
  });

  it('E2: a court-debtor that is able but refuses has no fixed term', () => {
    // Act
    const decision = classify('2030-01-01', { reason: REFUSES });

    // Assess
    expect(decision.ruleId).toBe('A1');
    expect(decision.inputs.termEndsOn).toBeUndefined();
    expect(decision.nextReviewDate).toBeUndefined();
  });

  it('E2: a court extension given as endsAt prevails over the two years', () => {
    // Act
    const decision = classify('2026-12-01', { endsAt: '2027-11-30' });

    // Assess
    expect(decision.ruleId).toBe('A1');
    expect(decision.nextReviewDate).toBe('2027-12-01');
    expect(classify('2027-12-01', { endsAt: '2027-11-30' }).reason).toBe(
      '截止日期为2027-11-30，符合期满退出条件（规则E2）',
    );
  });

  it('E2: a tax listing ends 3 years after publication, a market listing too', () => {
    // Act
    const tax = classify('2025-11-03', { listType: 'tax-violation', listedAt: '2022-11-03' });
    const market = classify('2025-11-02', { listType: 'market-violation', listedAt: '2022-11-03' });

    // Assess
    expect(tax.ruleId).toBe('E2');
    expect(market).toMatchObject({ ruleId: 'A1', nextReviewDate: '2025-11-03' });
  });

  it('E2: a procurement listing ends the day after its debarment, not before', () => {
    // Prepare
    const procurement = {
      listType: 'procurement-violation',
      endsAt: '2025-06-30',
      performance: 'full',
    } as const;

    // Act
    const during = classify('2025-06-30', procurement);
    const after = classify('2025-07-01', procurement);

    // Assess
    expect(during).toMatchObject({ ruleId: 'A1', nextReviewDate: '2025-07-01' });
    expect(during.reason).not.toContain('履行');
    expect(after).toMatchObject({ ruleId: 'E2', track: 'expired' });
  });

  it('E3: a court-debtor that performed in full exits at once', () => {
    // Act
    const decision = classify('2025-01-15', { performance: 'full' });

    // Assess
    expect(decision).toMatchObject({ list: 'exit', track: 'fulfilled', ruleId: 'E3' });
    expect(decision.reason).toBe('履行情况为“全部履行”，符合履行退出条件（规则E3）');
  });

  it('E3: a tax listing paid up leaves after 6 months, a repeat offender does not', () => {
    // Prepare
    const tax = { listType: 'tax-violation', listedAt: '2025-01-10', performance: 'full' } as const;

    // Act
    const early = classify('2025-07-09', tax);
    const after = classify('2025-07-10', tax);
    const repeat = classify('2025-07-10', { ...tax, reason: '5年内两次以上被确定为重大税收违法失信主体' });

    // Assess
    expect(early).toMatchObject({ ruleId: 'A1', nextReviewDate: '2025-07-10' });
    expect(after.ruleId).toBe('E3');
    expect(after.reason).toBe(
      '履行情况为“全部履行”，列入日期为2025-01-10，最短6个月，2025-07-10起可提前退出，符合履行退出条件（规则E3）',
    );
    expect(repeat).toMatchObject({ ruleId: 'A1', nextReviewDate: '2028-01-10' });
  });

  it('E3: a market listing performed leaves after 1 year; partial performance does not', () => {
    // Prepare
    const market = { listType: 'market-violation', listedAt: '2024-03-01', performance: 'full' } as const;

    // Act
    const performed = classify('2025-03-01', market);
    const partial = classify('2025-03-01', { ...market, performance: 'partial' });

    // Assess
    expect(performed.ruleId).toBe('E3');
    expect(partial).toMatchObject({ ruleId: 'A1', nextReviewDate: '2027-03-01' });
  });

  it('E3: a procurement listing performed stays while the debarment runs', () => {
    // Act
    const decision = classify('2026-01-01', {
      listType: 'procurement-violation',
      listedAt: '2024-01-01',
      endsAt: '2026-12-31',
      performance: 'full',
    });

    // Assess
    expect(decision).toMatchObject({ ruleId: 'A1', nextReviewDate: '2027-01-01' });
  });

  it('E4: a revoked subject that is not deregistered is urged to deregister', () => {
    // Act
    const decision = classify('2025-03-01', {}, { registrationStatus: 'revoked' });

    // Assess
    expect(decision).toMatchObject({ list: 'exit', track: 'urge-deregistration', ruleId: 'E4' });
    expect(decision.reason).toBe('企业登记状态为“吊销，未注销”，符合督促注销条件（规则E4）');
  });

  it('E5: a court-debtor that lost contact, or has no assets found, is referred to bankruptcy review', () => {
    // Act
    const lost = classify('2025-03-01', {}, { flags: { lostContact: true } });
    const noAssets = classify('2025-03-01', { reason: '终结本次执行程序，未发现可供执行的财产' });

    // Assess
    expect(lost).toMatchObject({ list: 'exit', track: 'bankruptcy-referral', ruleId: 'E5' });
    expect(lost.reason).toBe('名单类型为“失信被执行人”，已失联，符合移送破产审查条件（规则E5）');
    expect(noAssets.reason).toBe(
      '名单类型为“失信被执行人”，列入原因含“未发现可供执行的财产”，符合移送破产审查条件（规则E5）',
    );
  });

  it('A1: an active, reachable subject is given repair guidance', () => {
    // Act
    const decision = classify('2025-03-01', { listType: 'tax-violation', listedAt: '2025-01-10' });

    // Assess
    expect(decision).toMatchObject({ list: 'assist', track: 'repair-guidance', ruleId: 'A1' });
    expect(decision.reason).toBe('企业登记状态为“存续”，未失联，符合信用修复指导条件（规则A1）');
  });

  it('C1: a tax listing whose subject lost contact is constrained; so is a suspended one', () => {
    // Act
    const lost = classify('2025-03-01', { listType: 'tax-violation' }, { flags: { lostContact: true } });
    const suspended = classify('2025-03-01', {}, { registrationStatus: 'suspended' });

    // Assess
    expect(lost).toMatchObject({ list: 'constrain', track: 'joint-punishment', ruleId: 'C1' });
    expect(lost.reason).toBe('企业登记状态为“存续”，已失联，符合联合惩戒条件（规则C1）');
    expect(suspended.reason).toBe('企业登记状态为“歇业”，未失联，符合联合惩戒条件（规则C1）');
  });
});

describe('classifyListing: the repair measures from 2026-04-01', () => {
  const other = { listType: 'other', listedAt: '2024-01-15', performance: 'full' } as const;

  it('lets an "other" listing performed leave after the 1-year minimum once the measures are in force', () => {
    // Act
    const before = classify('2026-03-31', other);
    const from = classify('2026-04-01', other);

    // Assess
    expect(before).toMatchObject({ ruleId: 'A1', nextReviewDate: '2026-04-01' });
    expect(before.inputs.repairMeasures).toBeUndefined();
    expect(from).toMatchObject({ ruleId: 'E3', track: 'fulfilled' });
    expect(from.reason).toContain('按《信用修复管理办法》最短公示12个月，2025-01-15起可提前退出');
    expect(from.inputs.repairMeasures).toBe('信用修复管理办法');
  });

  it('ends an "other" listing after at most 3 years of publication from 2026-04-01', () => {
    // Prepare
    const old = { listType: 'other', listedAt: '2022-11-03', performance: 'none' } as const;
    const recent = { listType: 'other', listedAt: '2024-06-30', performance: 'none' } as const;

    // Act
    const oldBefore = classify('2026-03-31', old);
    const oldFrom = classify('2026-04-01', old);
    const recentFrom = classify('2026-04-01', recent);

    // Assess
    expect(oldBefore).toMatchObject({ ruleId: 'A1', nextReviewDate: '2026-04-01' });
    expect(oldFrom.ruleId).toBe('E2');
    expect(oldFrom.reason).toContain('按《信用修复管理办法》最长公示36个月，于2025-11-03届满');
    expect(recentFrom).toMatchObject({ ruleId: 'A1', nextReviewDate: '2027-06-30' });
  });

  it('finds a term ending under measures not yet in force as the next review date', () => {
    // Act: before 2026-04-01 nothing ends the listing; from then on, its 36 months end 2027-01-10.
    const decision = classify('2026-01-01', { listType: 'other', listedAt: '2024-01-10' }, { flags: {} });

    // Assess: on 2026-04-01 the inputs change (the measures in force), so that is the next date.
    expect(decision.nextReviewDate).toBe('2026-04-01');
    expect(classify('2026-04-01', { listType: 'other', listedAt: '2024-01-10' }).nextReviewDate).toBe(
      '2027-01-10',
    );
  });
});

describe('classifyListing: first match wins', () => {
  it('E1 beats E2, E2 beats E3, E3 beats E4, E4 beats E5', () => {
    // Act
    const e1 = classify('2027-01-01', { performance: 'full' }, { registrationStatus: 'deregistered' });
    const e2 = classify('2027-01-01', { performance: 'full' }, { registrationStatus: 'revoked' });
    const e3 = classify('2025-01-01', { performance: 'full' }, { registrationStatus: 'revoked' });
    const e4 = classify('2025-01-01', {}, { registrationStatus: 'revoked', flags: { lostContact: true } });

    // Assess
    expect([e1.ruleId, e2.ruleId, e3.ruleId, e4.ruleId]).toEqual(['E1', 'E2', 'E3', 'E4']);
  });

  it('follows the order of the table it is given', () => {
    // Prepare: C1 first catches everything.
    const rules = {
      ...DEFAULT_RULE_TABLE,
      rules: [...DEFAULT_RULE_TABLE.rules].reverse(),
      version: 'reversed',
    };

    // Act
    const decision = classifyListing({
      listing: listing(),
      subject: subject({ registrationStatus: 'deregistered' }),
      asOf: '2025-01-01',
      rules,
    });

    // Assess
    expect(decision).toMatchObject({ ruleId: 'C1', ruleTableVersion: 'reversed' });
  });
});

describe('sameDecision', () => {
  it('ignores the as-of date and sees a change of any other part', () => {
    // Act
    const a = classify('2025-01-01');
    const b = classify('2025-06-01');
    const c = classify('2025-06-01', { performance: 'full' });

    // Assess
    expect(a.asOf).not.toBe(b.asOf);
    expect(sameDecision(a, b)).toBe(true);
    expect(sameDecision(a, c)).toBe(false);
    expect(sameDecision(a, { ...a, nextReviewDate: '2026-12-02' })).toBe(false);
    expect(sameDecision(a, { ...a, inputs: { ...a.inputs, lostContact: true } })).toBe(false);
  });
});

const isoDate = fc
  .date({ min: new Date('2018-01-01T00:00:00Z'), max: new Date('2031-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

const listingArb = fc.record({
  listType: fc.constantFrom(...LIST_TYPES),
  listedAt: fc.option(isoDate, { nil: undefined }),
  endsAt: fc.option(isoDate, { nil: undefined }),
  performance: fc.option(fc.constantFrom('none', 'partial', 'full'), { nil: undefined }),
  reason: fc.option(fc.constantFrom(REFUSES, EVADES, '再次违法', '终结本次执行'), { nil: undefined }),
});

const subjectArb = fc.record({
  registrationStatus: fc.option(fc.constantFrom(...REGISTRATION_STATUSES), { nil: undefined }),
  flags: fc.record({ lostContact: fc.boolean(), bankruptcy: fc.boolean() }),
});

function arbitraryDecision(l: Partial<Listing>, s: Partial<Subject>, asOf: string): Decision {
  return classify(asOf, { ...l }, { ...s });
}

describe('classifyListing: properties', () => {
  it('puts every listing on exactly one of the three lists, with a rule of the table', () => {
    fc.assert(
      fc.property(listingArb, subjectArb, isoDate, (l, s, asOf) => {
        const decision = arbitraryDecision(l, s, asOf);
        expect(TRIAGE_LISTS).toContain(decision.list);
        expect(DEFAULT_RULE_TABLE.rules.map((rule) => rule.id)).toContain(decision.ruleId);
        expect(decision.reason).toMatch(/（规则[A-Z]\d）$/);
      }),
      { numRuns: 500 },
    );
  });

  it('changes nothing by time alone before the next review date, and changes on it', () => {
    fc.assert(
      fc.property(listingArb, subjectArb, isoDate, (l, s, asOf) => {
        const decision = arbitraryDecision(l, s, asOf);
        if (decision.nextReviewDate === undefined) {
          expect(sameDecision(arbitraryDecision(l, s, '2045-01-01'), decision)).toBe(true);
          return;
        }
        expect(decision.nextReviewDate > asOf).toBe(true);
        const dayBefore = addDays(decision.nextReviewDate, -1);
        expect(sameDecision(arbitraryDecision(l, s, dayBefore), decision)).toBe(true);
        expect(sameDecision(arbitraryDecision(l, s, decision.nextReviewDate), decision)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
