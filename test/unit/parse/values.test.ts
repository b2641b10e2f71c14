import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  excelSerialToIsoDate,
  monthFromFileName,
  parseCount,
  parseDate,
  parseListTypeLabel,
  parseMonth,
  parsePerformance,
} from '../../../functions/import/parse/values.ts';

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
const toFullWidthDigits = (text: string) => text.replace(/\d/g, (d) => FULL_WIDTH_DIGITS.charAt(Number(d)));
const pad = (n: number) => String(n).padStart(2, '0');
const DAY_MS = 86_400_000;

describe('parseDate', () => {
  it.each([
    ['2022-11-03', '2022-11-03'],
    ['2022/11/3', '2022-11-03'],
    ['2022.11.3', '2022-11-03'],
    ['20221103', '2022-11-03'],
    ['2022年11月3日', '2022-11-03'],
    ['2022 年 11 月 3 日', '2022-11-03'],
    ['2022-11-03 10:00:00', '2022-11-03'],
    ['2022-11-03T10:00', '2022-11-03'],
    ['２０２２－１１－０３', '2022-11-03'],
    [' 2022-11-03 ', '2022-11-03'],
    ['44868', '2022-11-03'],
    ['44868.75', '2022-11-03'],
    ['61', '1900-03-01'],
    ['2024-02-29', '2024-02-29'],
  ])('reads %j as %s', (raw, expected) => {
    expect(parseDate(raw)).toBe(expected);
  });

  it.each([
    '2022-02-30',
    '2023-02-29',
    '2022-13-01',
    '2022-00-10',
    '20221332',
    '2022-11',
    '2022/11-03',
    '60',
    '80000',
    '-44868',
    '0',
    '',
    '明天',
    '1899-12-31',
  ])('refuses %j', (raw) => {
    expect(parseDate(raw)).toBeUndefined();
  });

  it('round-trips every valid date in every supported format', () => {
    const days = fc.integer({ min: Date.UTC(1900, 0, 1) / DAY_MS, max: Date.UTC(2199, 11, 31) / DAY_MS });
    fc.assert(
      fc.property(days, fc.double({ min: 0, max: 0.999, noNaN: true }), (day, fraction) => {
        // Prepare
        const date = new Date(day * DAY_MS);
        const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
        const iso = `${y}-${pad(m)}-${pad(d)}`;
        const shapes = [
          iso,
          `${y}/${m}/${d}`,
          `${y}.${m}.${d}`,
          `${y}${pad(m)}${pad(d)}`,
          `${y}年${m}月${d}日`,
          `${iso} 23:59:59`,
          toFullWidthDigits(`${y}年${m}月${d}日`),
        ];
        const serial = (day * DAY_MS - Date.UTC(1899, 11, 30)) / DAY_MS;
        if (serial > 60 && serial < 80_000) shapes.push(String(serial + fraction));
        // Act / Assess
        for (const shape of shapes) expect(parseDate(shape), shape).toBe(iso);
      }),
    );
  });

  it('never throws, and answers a real date or nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[\d年月日./\- :]{0,20}$/)),
        (raw) => {
          const result = parseDate(raw);
          if (result !== undefined) {
            expect(result).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(new Date(`${result}T00:00:00Z`).toISOString().slice(0, 10)).toBe(result);
          }
        },
      ),
    );
  });
});

describe('excelSerialToIsoDate', () => {
  it('reads the 1900 and 1904 systems', () => {
    expect(excelSerialToIsoDate(44868)).toBe('2022-11-03');
    expect(excelSerialToIsoDate(43406, true)).toBe('2022-11-03');
    expect(excelSerialToIsoDate(60)).toBeUndefined();
  });
});

describe('parseListTypeLabel', () => {
  it.each([
    ['失信被执行人', 'court-debtor'],
    ['石家庄市失信被执行人名单（2022年11月）', 'court-debtor'],
    ['重大税收违法失信主体', 'tax-violation'],
    ['重大税收违法案件', 'tax-violation'],
    ['税收违法', 'tax-violation'],
    ['政府采购严重违法失信名单', 'procurement-violation'],
    ['政府采购', 'procurement-violation'],
    ['市场监督管理严重违法失信名单', 'market-violation'],
    ['市场监管', 'market-violation'],
    ['严重违法失信名单', 'market-violation'],
    ['court-debtor', 'court-debtor'],
    ['Tax-Violation', 'tax-violation'],
    ['ｍａｒｋｅｔ－ｖｉｏｌａｔｉｏｎ', 'market-violation'],
    ['procurement-violation', 'procurement-violation'],
    ['other', 'other'],
    ['其他', 'other'],
  ])('reads %j as %s', (raw, expected) => {
    expect(parseListTypeLabel(raw)).toBe(expected);
  });

  it.each(['', '名单', '企业名称', 'court'])('knows no list in %j', (raw) => {
    expect(parseListTypeLabel(raw)).toBeUndefined();
  });
});

describe('parsePerformance', () => {
  it.each([
    ['全部未履行', 'none'],
    [' 全部未履行 ', 'none'],
    ['部分未履行', 'partial'],
    ['全部履行', 'full'],
    ['已履行', 'full'],
  ])('reads %j as %s', (raw, expected) => {
    expect(parsePerformance(raw)).toBe(expected);
  });

  it.each(['', '不详', '履行'])('knows nothing of %j', (raw) => {
    expect(parsePerformance(raw)).toBeUndefined();
  });
});

describe('parseCount', () => {
  it.each([
    ['12345', 12345],
    ['12,345', 12345],
    ['１２３４５', 12345],
    ['12345.0', 12345],
    [' 0 ', 0],
    ['1,234,567', 1234567],
    ['３２１户', 321],
  ])('reads %j as %d', (raw, expected) => {
    expect(parseCount(raw)).toBe(expected);
  });

  it.each(['', '-1', '12.5', '1,23', 'abc', '1e3', '99999999999999999999'])('refuses %j', (raw) => {
    expect(parseCount(raw)).toBeUndefined();
  });
});

describe('parseMonth', () => {
  it.each([
    ['2022-11', '2022-11'],
    ['2022/1', '2022-01'],
    ['2022年11月', '2022-11'],
    ['2022年11月份', '2022-11'],
    ['202211', '2022-11'],
    ['2022-11-01', '2022-11'],
    ['２０２２年１１月', '2022-11'],
  ])('reads %j as %s', (raw, expected) => {
    expect(parseMonth(raw)).toBe(expected);
  });

  it.each(['', '2022-13', '202213', '11月', '2022'])('refuses %j', (raw) => {
    expect(parseMonth(raw)).toBeUndefined();
  });
});

describe('monthFromFileName', () => {
  it.each([
    ['法人企业数_202211.xlsx', '2022-11'],
    ['2022年11月法人企业数.csv', '2022-11'],
    ['incoming/enterprise-counts/enterprise-counts-2022-11.csv', '2022-11'],
    ['法人企业数20221130.xlsx', '2022-11'],
    ['法人企业数（2022.11）.xlsx', '2022-11'],
  ])('finds the month in %j', (name, expected) => {
    expect(monthFromFileName(name)).toBe(expected);
  });

  it.each(['法人企业数.xlsx', '2022年10月-2022年11月.xlsx', 'export_20221130153000.csv'])(
    'finds no single month in %j',
    (name) => {
      expect(monthFromFileName(name)).toBeUndefined();
    },
  );
});
