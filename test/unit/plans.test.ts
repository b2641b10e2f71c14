import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  overrideTrack,
  PLAN_MEASURE_CODES,
  PLAN_MEASURES,
  personProblem,
  planProblems,
  tracksOfList,
} from '#domain/plans.ts';
import { overrideRequestSchema, planRequestSchema } from '../../functions/api/schemas.ts';

describe('tracks an override may name', () => {
  it('are the rule table’s tracks of each list, the first being the natural one', () => {
    // Assess
    expect(tracksOfList('exit')).toEqual([
      'direct',
      'expired',
      'fulfilled',
      'urge-deregistration',
      'bankruptcy-referral',
    ]);
    expect(tracksOfList('assist')).toEqual(['repair-guidance']);
    expect(tracksOfList('constrain')).toEqual(['joint-punishment']);
    expect(overrideTrack('constrain', undefined)).toBe('joint-punishment');
    expect(overrideTrack('exit', 'urge-deregistration')).toBe('urge-deregistration');
    expect(overrideTrack('assist', 'joint-punishment')).toBeUndefined();
  });

  it('refuse a track of another list and a blank reason, in Chinese', () => {
    // Act
    const wrongTrack = overrideRequestSchema.safeParse({
      list: 'assist',
      track: 'joint-punishment',
      reason: '企业已主动履行',
    });
    const blank = overrideRequestSchema.safeParse({ list: 'exit', reason: '   ' });

    // Assess
    expect(wrongTrack.success).toBe(false);
    expect(wrongTrack.error?.issues[0]).toMatchObject({ path: ['track'] });
    expect(wrongTrack.error?.issues[0]?.message).toContain('不属于帮扶清单');
    expect(blank.error?.issues[0]?.message).toContain('理由（reason）不能为空');
  });
});

describe('plan measures', () => {
  it('are a fixed set per list, each with a Chinese label, and every code is known to the request schema', () => {
    // Assess
    expect(PLAN_MEASURES.exit.map(({ code }) => code)).toEqual([
      'urge-deregistration',
      'revoke-publication',
      'bankruptcy-referral',
      'collect-evidence',
    ]);
    expect(PLAN_MEASURES.assist.find(({ code }) => code === 'pairing')?.label).toBe('结对帮扶');
    expect(PLAN_MEASURES.constrain.find(({ code }) => code === 'restrict-support')?.label).toBe(
      '限制政策支持',
    );
    expect(PLAN_MEASURE_CODES).toHaveLength(13);
  });

  it('refuse a measure of another list and a deadline already passed, naming the field', () => {
    // Act
    const problems = planProblems(
      { measures: ['pairing', 'joint-punishment'], deadline: '2026-05-31' },
      'assist',
      '2026-06-01',
    );

    // Assess
    expect(problems).toEqual([
      {
        field: 'measures',
        message: expect.stringContaining('措施 joint-punishment 不适用于帮扶清单，可选：pairing（结对帮扶）'),
      },
      { field: 'deadline', message: '完成时限 2026-05-31 早于今天（2026-06-01）' },
    ]);
    expect(planProblems({ measures: ['pairing'], deadline: '2026-06-01' }, 'assist', '2026-06-01')).toEqual(
      [],
    );
  });

  it('the plan request refuses an invalid date, duplicated measures and an unknown code, in Chinese', () => {
    // Act
    const result = planRequestSchema.safeParse({
      unit: '长安区人民法院执行局',
      person: '执行局副局长',
      measures: ['pairing', 'pairing', 'no-such-measure'],
      deadline: '2026-02-30',
    });

    // Assess
    const messages = result.error?.issues.map((issue) => issue.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('措施须为'),
        '完成时限（deadline）须为 yyyy-mm-dd 格式的有效日期',
      ]),
    );
    const duplicated = planRequestSchema.safeParse({
      unit: '长安区人民法院执行局',
      person: '联络员',
      measures: ['pairing', 'pairing'],
      deadline: '2026-07-01',
    });
    expect(duplicated.error?.issues[0]?.message).toBe('措施（measures）有重复');
  });
});

describe('personProblem: a responsible person is a role title', () => {
  it('accepts role titles', () => {
    for (const title of ['科长', '联络员', '执行局副局长', '第3网格员', '信用科 科长', 'A岗联络员'])
      expect(personProblem(title)).toBeUndefined();
  });

  it('refuses a resident ID, a phone number (whole, grouped, masked or full-width) and a blank, in Chinese', () => {
    // Assess
    expect(personProblem('张科长 130102199003071234')).toContain('身份证号码');
    expect(personProblem('130102********1234')).toContain('身份证号码');
    expect(personProblem('联络员13812345678')).toContain('电话号码');
    expect(personProblem('联络员 138-1234-5678')).toContain('电话号码');
    expect(personProblem('科长（0311）8668 1234')).toContain('电话号码');
    expect(personProblem('科长138****5678')).toContain('电话号码');
    expect(personProblem('科长１３８１２３４５６７８')).toContain('电话号码');
    expect(personProblem('  ')).toContain('不能为空');
    expect(personProblem('12')).toContain('须为职务名称');
    expect(personProblem('参加人员', '参加人员')).toBeUndefined();
    expect(personProblem('13812345678', '参加人员')).toMatch(/^参加人员疑似填写了电话号码/);
  });

  const digit = fc.constantFrom(...'0123456789');
  const digits = (length: number) => fc.string({ unit: digit, minLength: length, maxLength: length });
  const separator = fc.constantFrom('', ' ', '-', '—', '.');
  const mobile = fc
    .tuple(fc.constantFrom(...'3456789'), digits(9), separator)
    .map(
      ([second, rest, sep]) => `1${second}${rest.slice(0, 1)}${sep}${rest.slice(1, 5)}${sep}${rest.slice(5)}`,
    );
  const provinces = ['11', '13', '31', '44', '65'];
  const residentId = fc
    .tuple(
      fc.constantFrom(...provinces),
      digits(4),
      fc.integer({ min: 1930, max: 2009 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      digits(3),
      fc.constantFrom(...'0123456789X'),
    )
    .map(
      ([province, area, year, month, day, order, check]) =>
        `${province}${area}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${order}${check}`,
    );
  const titleChar = fc.constantFrom(...'科长联络员网格专干副局信用办主任执行庭岗位第号组');
  const title = fc.string({ unit: titleChar, minLength: 1, maxLength: 12 });

  it('property: a phone number anywhere in the text is refused, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        mobile,
        fc.string({ maxLength: 20 }),
        (before, phone, after) => {
          expect(personProblem(`${before}${phone}${after}`)).toBeDefined();
        },
      ),
    );
  });

  it('property: a resident ID beside a title is refused as an ID', () => {
    fc.assert(
      fc.property(title, residentId, title, (before, id, after) => {
        expect(personProblem(`${before}${id}${after}`)).toContain('身份证号码');
      }),
    );
  });

  it('property: a title with a short number (up to six digits) is accepted', () => {
    fc.assert(
      fc.property(title, fc.integer({ min: 0, max: 999_999 }), title, (before, number, after) => {
        expect(personProblem(`${before}${number}${after}`)).toBeUndefined();
      }),
    );
  });

  it('property: any text gets an answer, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const problem = personProblem(text);
        expect(problem === undefined || typeof problem === 'string').toBe(true);
      }),
    );
  });
});
