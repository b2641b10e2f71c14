import { describe, expect, it } from 'vitest';
import { addMonths } from '#domain/calendar-dates.ts';
import { DEFAULT_RULE_TABLE } from '#domain/rule-table.ts';
import { InvalidRuleTableError, parseRuleTable } from '#domain/rule-table-schema.ts';

/** A deep copy a test may change. */
// biome-ignore lint/suspicious/noExplicitAny: a test reshapes the table freely, as a person's file would.
function copy(): Record<string, any> {
  return JSON.parse(JSON.stringify(DEFAULT_RULE_TABLE));
}

function issuesOf(input: unknown): string[] {
  try {
    parseRuleTable(input);
  } catch (error) {
    if (error instanceof InvalidRuleTableError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('DEFAULT_RULE_TABLE', () => {
  it('is accepted by the schema and survives JSON', () => {
    // Act
    const parsed = parseRuleTable(JSON.parse(JSON.stringify(DEFAULT_RULE_TABLE)));

    // Assess
    expect(parsed).toEqual(DEFAULT_RULE_TABLE);
  });

  it('holds the rules of docs/rules.md in order, with their lists and tracks', () => {
    // Assess
    expect(DEFAULT_RULE_TABLE.rules.map(({ id, list, track }) => `${id} ${list} ${track}`)).toEqual([
      'E1 exit direct',
      'E2 exit expired',
      'E3 exit fulfilled',
      'E4 exit urge-deregistration',
      'E5 exit bankruptcy-referral',
      'A1 assist repair-guidance',
      'C1 constrain joint-punishment',
    ]);
  });

  it('holds the periods of each list type and the repair measures from 2026-04-01', () => {
    // Assess
    expect(DEFAULT_RULE_TABLE.periods).toMatchObject({
      'court-debtor': { term: { kind: 'years', years: 2 }, earlyExit: { kind: 'after-months', months: 0 } },
      'tax-violation': { term: { kind: 'years', years: 3 }, earlyExit: { kind: 'after-months', months: 6 } },
      'procurement-violation': { term: { kind: 'ends-at' }, earlyExit: { kind: 'none' } },
      'market-violation': {
        term: { kind: 'years', years: 3 },
        earlyExit: { kind: 'after-months', months: 12 },
      },
      other: { term: { kind: 'repair-measures' }, earlyExit: { kind: 'repair-measures' } },
    });
    expect(DEFAULT_RULE_TABLE.repairMeasures).toEqual([
      { from: '2026-04-01', name: '信用修复管理办法', minimumMonths: 12, maximumMonths: 36 },
    ]);
  });
});

describe('parseRuleTable', () => {
  it('rejects an unknown track with a Chinese message naming the place', () => {
    // Prepare
    const table = copy();
    table.rules[0].track = 'deport';

    // Act
    const issues = issuesOf(table);

    // Assess
    expect(issues).toEqual([expect.stringMatching(/^rules\.0\.track：处置路径须为 direct、expired/)]);
  });

  it('rejects an unknown list with a Chinese message', () => {
    // Prepare
    const table = copy();
    table.rules[5].list = 'blacklist';

    // Act
    const issues = issuesOf(table);

    // Assess
    expect(issues).toEqual(['rules.5.list：清单须为 exit（退出）、assist（帮扶）或 constrain（约束）之一']);
  });

  it('rejects an unknown condition, status or flag deep inside a combination', () => {
    // Prepare
    const table = copy();
    table.rules[0].condition.conditions[0].statuses.push('sleeping');
    table.rules[4].condition.conditions[1].conditions[0].flag = 'angry';
    table.rules[1].condition = { kind: 'moon-phase' };

    // Act
    const issues = issuesOf(table);

    // Assess
    expect(issues).toEqual(
      expect.arrayContaining([
        'rules.0.condition.conditions.0.statuses.5：未知的登记状态',
        'rules.4.condition.conditions.1.conditions.0.flag：未知的主体标记',
        'rules.1.condition.kind：未知的条件类型',
      ]),
    );
  });

  it('asks for a catch-all last rule, unique ids, periods for each list type and valid measures', () => {
    // Prepare
    const table = copy();
    table.rules.pop();
    table.rules[1].id = 'E1';

    const noPeriod = copy();
    delete noPeriod.periods.other;

    const badMeasures = copy();
    badMeasures.repairMeasures = [
      { from: '2026-02-30', name: '信用修复管理办法', minimumMonths: 12, maximumMonths: 36 },
      { from: '2026-04-01', name: '', minimumMonths: 40, maximumMonths: 36 },
    ];

    // Act
    const issues = issuesOf(table);
    const periodIssues = issuesOf(noPeriod);
    const measureIssues = issuesOf(badMeasures);

    // Assess
    expect(issues).toEqual([
      'rules.1.id：规则编号“E1”重复',
      'rules.5.condition：最后一条规则的条件须为 always（兜底），使每个名单都归入一类清单',
    ]);
    expect(periodIssues).toEqual(['periods.other：须为该名单类型给出期限（term 与 earlyExit）']);
    expect(measureIssues).toEqual(
      expect.arrayContaining([
        'repairMeasures.0.from：施行日期须为 yyyy-mm-dd 格式的有效日期',
        'repairMeasures.1.name：办法名称不能为空',
        'repairMeasures.1：最短公示月数不能大于最长公示月数',
      ]),
    );
  });

  it('lets a later campaign change a period without code', () => {
    // Prepare
    const table = copy();
    table.version = '2027-01-01.1';
    table.periods['market-violation'].earlyExit.months = 6;

    // Act
    const parsed = parseRuleTable(table);

    // Assess
    expect(parsed.periods['market-violation'].earlyExit).toEqual({ kind: 'after-months', months: 6 });
  });
});

describe('addMonths', () => {
  it('keeps the day, or takes the last day of a shorter month', () => {
    // Assess
    expect(addMonths('2024-12-01', 24)).toBe('2026-12-01');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
  });
});
