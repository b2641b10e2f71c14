import { describe, expect, it } from 'vitest';
import { actionProblems, actionRequestSchema, repairEligibility } from '#domain/actions.ts';
import type { Listing, Subject } from '#domain/model.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';

function subject(): Subject {
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
  };
}

function listing(overrides: Partial<Listing>): Listing {
  return {
    uscc: '91130100MA0CXXXX0X',
    listType: 'tax-violation',
    key: '冀税稽罚〔2025〕12号',
    department: '国家税务总局石家庄市长安区税务局',
    listedAt: '2025-01-10',
    reason: '虚开增值税专用发票',
    status: 'active',
    district: '130102',
    source: 'tax',
    createdAt: '2025-01-11T00:00:00.000Z',
    updatedAt: '2025-01-11T00:00:00.000Z',
    ...overrides,
  };
}

function eligibility(overrides: Partial<Listing>, pledge: string, asOf = '2026-05-01') {
  return repairEligibility(listing(overrides), subject(), DEFAULT_RULE_TABLE, asOf, pledge);
}

describe('actionRequestSchema', () => {
  it('takes each kind with its own fields', () => {
    // Act
    const parsed = [
      { kind: 'pairing', partner: { type: 'township-street-office', name: '长安区建北街道办事处' } },
      { kind: 'credit-warning', date: '2026-05-01', channel: 'letter' },
      {
        kind: 'interview',
        date: '2026-05-02',
        participants: ['信用科科长', '企业联络员'],
        outcome: '企业承诺履行',
      },
      { kind: 'repair-guidance', date: '2026-05-03', content: '指导通过信用中国网站提交修复申请' },
      { kind: 'repair-application', pledgeReceivedOn: '2026-05-04' },
    ].map((body) => actionRequestSchema.safeParse(body).success);

    // Assess
    expect(parsed).toEqual([true, true, true, true, true]);
  });

  it('refuses an unknown kind, a missing field and a participant given by phone number, in Chinese', () => {
    // Act
    const unknown = actionRequestSchema.safeParse({ kind: 'visit', date: '2026-05-01' });
    const missing = actionRequestSchema.safeParse({ kind: 'credit-warning', date: '2026-05-01' });
    const person = actionRequestSchema.safeParse({
      kind: 'interview',
      date: '2026-05-02',
      participants: ['科长', '13812345678'],
      outcome: '企业承诺履行',
    });

    // Assess
    expect(unknown.error?.issues[0]?.message).toContain('行动类型（kind）须为 pairing（结对帮扶）');
    expect(missing.error?.issues[0]?.message).toContain('提醒方式须为 letter（书面函告）');
    expect(person.error?.issues[0]).toMatchObject({
      path: ['participants', 1],
      message: expect.stringContaining('参加人员疑似填写了电话号码'),
    });
  });

  it('refuses an action dated after today: actions are recorded once taken', () => {
    // Assess
    expect(
      actionProblems({ kind: 'repair-application', pledgeReceivedOn: '2026-05-02' }, '2026-05-01'),
    ).toEqual([
      {
        field: 'pledgeReceivedOn',
        message: '信用承诺书收到日期 2026-05-02 晚于今天（2026-05-01）；行动须在发生后登记',
      },
    ]);
    expect(
      actionProblems({ kind: 'credit-warning', date: '2026-05-01', channel: 'sms' }, '2026-05-01'),
    ).toEqual([]);
  });
});

describe('repairEligibility: the earliest repair date from the rule table', () => {
  it('tax violation: six months after listing, not before the pledge', () => {
    // Assess
    expect(eligibility({}, '2025-03-01')).toEqual({
      earliestEligibleDate: '2025-07-10',
      basis: '列入日期为2025-01-10，最短6个月，2025-07-10起可提前退出；信用承诺书于2025-03-01收到',
    });
    expect(eligibility({}, '2025-09-01').earliestEligibleDate).toBe('2025-09-01');
  });

  it('a repeat tax offender has no early exit: the term decides (3 years)', () => {
    // Act
    const result = eligibility({ reason: '再次虚开增值税专用发票' }, '2025-03-01');

    // Assess
    expect(result.earliestEligibleDate).toBe('2028-01-10');
    expect(result.basis).toContain('不适用提前退出');
  });

  it('procurement: no exit while the debarment runs, so the day after its end', () => {
    // Assess
    expect(
      eligibility({ listType: 'procurement-violation', endsAt: '2027-06-30' }, '2026-04-20')
        .earliestEligibleDate,
    ).toBe('2027-07-01');
  });

  it('court debtor: at once once performed, so the pledge day', () => {
    // Assess
    expect(eligibility({ listType: 'court-debtor' }, '2026-04-20')).toMatchObject({
      earliestEligibleDate: '2026-04-20',
      basis: expect.stringContaining('无最短公示期'),
    });
  });

  it('other lists follow the repair measures in force from 2026-04-01 (one year minimum), none before', () => {
    // Assess
    expect(
      eligibility({ listType: 'other', listedAt: '2026-01-15' }, '2026-04-20', '2026-04-20')
        .earliestEligibleDate,
    ).toBe('2027-01-15');
    const before = eligibility({ listType: 'other', listedAt: '2026-01-15' }, '2026-03-20', '2026-03-20');
    expect(before.earliestEligibleDate).toBeUndefined();
    expect(before.basis).toContain('无法计算最早可修复日期');
  });

  it('a listing without a listed date cannot be dated', () => {
    // Act
    const { listedAt: _listedAt, ...undated } = listing({});
    const result = repairEligibility(undated, subject(), DEFAULT_RULE_TABLE, '2026-05-01', '2026-05-01');

    // Assess
    expect(result.earliestEligibleDate).toBeUndefined();
    expect(result.basis).toContain('列入日期未知');
  });
});
