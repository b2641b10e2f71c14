import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NotImplementedError } from '#shared/errors.ts';
import { outcomeOf, parseArguments, parseMonth } from '../../local/evaluate.ts';

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

describe('npm run evaluate arguments', () => {
  it('takes one month', () => {
    expect(parseArguments(['2026-11'])).toEqual({ month: '2026-11' });
  });

  it('prints the usage line without a month or with more than one argument, and exits 2', () => {
    expect(parseArguments([])).toEqual({ exitCode: 2, stderr: 'usage: npm run evaluate -- <yyyy-mm>\n' });
    expect(parseArguments(['2026-11', 'extra'])).toMatchObject({ exitCode: 2 });
  });

  it.each(['2026-13', '2026-00', '2026-1', 'november'])('says %s is not a month and exits 2', (text) => {
    const parsed = parseArguments([text]);
    expect(parsed).toMatchObject({ exitCode: 2 });
    expect((parsed as { stderr: string }).stderr).toContain(`月份无效：${text}，应为 yyyy-mm，月份 01–12`);
    expect((parsed as { stderr: string }).stderr).toContain(`invalid month: ${text}`);
  });

  it('says so from the command itself', async () => {
    // Act
    const outcome = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'local/evaluate.ts', '2026-13'],
      {
        timeout: 30_000,
      },
    ).catch((error: { code?: number; stderr?: string }) => error);
    // Assess
    expect((outcome as { code?: number }).code).toBe(2);
    expect((outcome as { stderr: string }).stderr).toContain('月份无效：2026-13，应为 yyyy-mm，月份 01–12');
  });
});
