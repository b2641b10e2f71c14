import { describe, expect, it } from 'vitest';
import { NotImplementedError } from '#shared/errors.ts';
import { outcomeOf, parseMonth } from '../../local/evaluate.ts';

describe('npm run evaluate', () => {
  it.each(['2026-11', '2024-01', '2030-12'])('accepts the month %s', (month) => {
    expect(parseMonth(month)).toBe(month);
  });

  it.each([undefined, '2026-13', '2026-00', '2026-1', '202611', '2026-11-01', ' 2026-11'])(
    'refuses %s',
    (text) => {
      expect(parseMonth(text)).toBeUndefined();
    },
  );

  it('prints the result as JSON and exits 0', () => {
    expect(outcomeOf({ value: { month: '2026-11', ratio: 0.0012 } })).toEqual({
      exitCode: 0,
      stdout: '{\n  "month": "2026-11",\n  "ratio": 0.0012\n}\n',
    });
  });

  it('says the evaluation is not implemented yet and exits 3 on a 501', () => {
    expect(outcomeOf({ error: new NotImplementedError('the monthly evaluation') })).toEqual({
      exitCode: 3,
      stderr: 'evaluation: not implemented yet\n',
    });
  });

  it('exits 1 on any other error', () => {
    expect(outcomeOf({ error: new Error('table missing') })).toMatchObject({
      exitCode: 1,
      stderr: expect.stringContaining('table missing'),
    });
  });
});
