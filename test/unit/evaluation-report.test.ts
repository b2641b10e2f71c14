/**
 * The evaluation report's renderings from a snapshot with known figures: the CSV (BOM, Chinese headers,
 * city row first, ranking order, neutralised cells), the XLSX read back (styled, frozen header, ratios
 * as percentages), and the HTML (figures, chart bars, stale banner, drift line, escaping, a district's
 * view). The page in a real browser is test/browser/evaluation-report.test.ts.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN } from '#domain/evaluation.ts';
import { escapeHtml } from '#shared/evaluation-report/html-text.ts';
import { axisOf, niceStep } from '#shared/evaluation-report/report-charts.ts';
import { evaluationReportCsv } from '#shared/evaluation-report/report-csv.ts';
import { evaluationReportHtml } from '#shared/evaluation-report/report-html.ts';
import {
  campaignMonths,
  changeText,
  rowsInRankOrder,
  trendPoints,
} from '#shared/evaluation-report/report-input.ts';
import { evaluationReportXlsx } from '#shared/evaluation-report/report-xlsx.ts';
import { fixtureInput, fixtureSnapshot } from '../support/evaluation-report-fixture.ts';

const HEADERS = [
  '区县',
  '代码',
  '列入企业数',
  '法人企业数',
  '企业数所属月份',
  '比例',
  '排名',
  '本月新增',
  '本月退出',
  '迁入',
  '迁出',
  '净变化',
  '上月比例',
  '环比（百分点）',
  '是否高于目标',
];

function csvLines(csv: string): string[][] {
  return csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

describe('the report as CSV', () => {
  it('starts with a BOM and the Chinese headers, the city first, then the districts by rank', () => {
    // Prepare
    const input = fixtureInput();
    const { city } = input.snapshot;
    // Act
    const csv = evaluationReportCsv(input);
    const [header, cityLine, first, ...rest] = csvLines(csv);
    // Assess
    expect(csv.startsWith('\uFEFF区县,')).toBe(true);
    expect(header).toEqual(HEADERS);
    expect(cityLine?.slice(0, 7)).toEqual([
      '全市',
      '',
      String(city.numerator),
      String(city.denominator),
      '2023-02',
      `${((city.ratio ?? 0) * 100).toFixed(4)}%`,
      '',
    ]);
    // 高新区: 55 per ten thousand, the lowest
    expect(first?.slice(0, 7)).toEqual(['高新区', '130171', '292', '53000', '2023-03', '0.5509%', '1']);
    expect(rest).toHaveLength(23);
    expect(rest.map((line) => Number(line[6]))).toEqual([...Array(23).keys()].map((i) => i + 2));
    expect(rest.at(-1)?.[0]).toBe('长安区');
    expect(rest.at(-1)?.[14]).toBe('是');
    expect(first?.[14]).toBe('否');
  });

  it('neutralises a name that would run as a formula, and keeps negative numbers as numbers', () => {
    // Prepare
    const input = fixtureInput({ firstName: '=HYPERLINK("http://x","长安区")' });
    // Act
    const csv = evaluationReportCsv(input);
    // Assess
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""长安区"")"`);
    expect(csv).not.toContain(',=HYPERLINK');
    const cityLine = csvLines(csv)[1];
    expect(cityLine?.[11]).toBe('-36');
    expect(cityLine?.[13]).toMatch(/^-0\.\d+$/);
  });

  it('holds only the city and the own row for a district office', () => {
    // Act
    const lines = csvLines(evaluationReportCsv({ ...fixtureInput(), district: '130104' }));
    // Assess
    expect(lines.map((line) => line[0])).toEqual(['区县', '全市', '桥西区']);
  });
});

describe('the report as XLSX', () => {
  it('has a bold, filled, frozen header and the ratios as numbers shown as percentages', async () => {
    // Prepare
    const input = fixtureInput();
    // Act
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await evaluationReportXlsx(input)) as never);
    const sheet = workbook.getWorksheet('评价报告');
    // Assess
    expect(sheet).toBeDefined();
    if (sheet === undefined) return;
    const header = sheet.getRow(1);
    expect(header.values).toEqual([undefined, ...HEADERS]);
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(header.getCell(6).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const city = sheet.getRow(2);
    expect(city.getCell(1).value).toBe('全市');
    expect(city.getCell(6).value).toBeCloseTo(input.snapshot.city.ratio ?? 0, 12);
    expect(city.getCell(6).numFmt).toBe('0.00%');
    const best = sheet.getRow(3);
    expect(best.getCell(1).value).toBe('高新区');
    expect(best.getCell(6).value).toBeCloseTo(292 / 53_000, 12);
    expect(best.getCell(6).numFmt).toBe('0.00%');
    expect(best.getCell(7).value).toBe(1);
    expect(sheet.rowCount).toBe(26);
  });

  it('neutralises text cells, and lists the milestones and the drift on the second sheet', async () => {
    // Prepare
    const input = fixtureInput({
      firstName: '+cmd',
      drift: [{ district: '130104', attribute: 'listed_91', stored: 6, recount: 1 }],
    });
    // Act
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await evaluationReportXlsx(input)) as never);
    // Assess
    const sheet = workbook.getWorksheet('评价报告');
    const names: unknown[] = [];
    sheet?.eachRow((row) => names.push(row.getCell(1).value));
    expect(names).toContain("'+cmd");
    const notes: unknown[] = [];
    workbook.getWorksheet('里程碑与核对')?.eachRow((row) => notes.push(...(row.values as unknown[])));
    expect(notes).toContain('已达成');
    expect(notes).toContain('列入主体数（代码 91 开头）');
  });
});

function count(html: string, pattern: RegExp): number {
  return html.match(pattern)?.length ?? 0;
}

describe('the report as HTML', () => {
  it('shows the city figure, a bar per district in rank order, the ranking and the milestones', () => {
    // Prepare
    const input = fixtureInput();
    const ranked = rowsInRankOrder(input.snapshot.districts);
    // Act
    const html = evaluationReportHtml(input);
    // Assess
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('data-city-ratio="0.008612975391498882"');
    expect(html).toContain('0.86%');
    const bars = [...html.matchAll(/<g class="bar(?: over)?" data-district="(\d+)"/g)].map((m) => m[1]);
    expect(bars).toEqual(ranked.map((d) => d.district));
    expect(count(html, /<g class="bar over"/g)).toBe(6);
    expect(count(html, /<tr[^>]* data-rank="\d+"/g)).toBe(24);
    expect(html).toContain('data-milestone="below-target"');
    expect(html).toContain('已达成');
    expect(html).toContain('计数核对：无偏差');
    expect(html).not.toContain('本报告已过期');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('@page { size: A4; margin: 10mm; }');
  });

  it('says so when stale, and names the drift', () => {
    // Prepare
    const input = fixtureInput({
      stale: { since: '2023-03-31T18:00:00.000Z', reason: '长安区失信企业数 284→283' },
      drift: [{ district: '130104', attribute: 'listed_91', stored: 6, recount: 1 }],
    });
    // Act
    const html = evaluationReportHtml(input);
    // Assess
    expect(html).toContain('本报告已过期');
    expect(html).toContain('长安区失信企业数 284→283');
    expect(html).toContain('桥西区 列入主体数（代码 91 开头）：计数 6，重新统计 1');
  });

  it('escapes every text from the data', () => {
    // Prepare
    const input = fixtureInput({ firstName: '<img src=x onerror=alert(1)>"' });
    // Act
    const html = evaluationReportHtml(input);
    // Assess
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;');
  });

  it('shows a district office the city figure and its own row, and no other district', () => {
    // Act
    const html = evaluationReportHtml({ ...fixtureInput(), district: '130104' });
    // Assess
    expect(count(html, /<g class="bar(?: over)?" data-district=/g)).toBe(1);
    expect(count(html, /<tr[^>]* data-rank="\d+"/g)).toBe(1);
    expect(html).toContain('data-district="130104"');
    expect(html).not.toContain('高新区');
    expect(html).toContain('（桥西区）');
    expect(html).toContain('data-city-ratio');
  });

  it('marks a district without a count as 无数据 instead of a bar', () => {
    // Prepare
    const snapshot = fixtureSnapshot();
    const districts = snapshot.districts.map((d, index) =>
      index === 1 ? { ...d, denominator: null, denominatorMonth: null, ratio: null, rank: null } : d,
    );
    // Act
    const html = evaluationReportHtml({ ...fixtureInput(), snapshot: { ...snapshot, districts } });
    // Assess
    expect(count(html, /<g class="bar(?: over)?" data-district=/g)).toBe(23);
    expect(html).toContain('<g class="bar-missing" data-district="130104">');
  });
});

describe('the report helpers', () => {
  it('lays the trend over the campaign months, the snapshot’s own figure for its month', () => {
    // Act
    const points = trendPoints(fixtureInput());
    // Assess
    expect(campaignMonths(DEFAULT_CAMPAIGN, '2023-03')).toHaveLength(15);
    expect(points[0]).toEqual({ month: '2022-10', ratio: 0.0131 });
    expect(points[2]).toEqual({ month: '2022-12', ratio: null });
    expect(points[5]?.ratio).toBeCloseTo(0.008613, 6);
    expect(points.slice(6).every((p) => p.ratio === null)).toBe(true);
    expect(campaignMonths(DEFAULT_CAMPAIGN, '2024-02').at(-1)).toBe('2024-02');
  });

  it('writes month-on-month changes in percentage points', () => {
    expect(changeText(-0.00012)).toBe('-0.012 个百分点');
    expect(changeText(0.0012)).toBe('+0.120 个百分点');
    expect(changeText(1e-9)).toBe('持平');
    expect(changeText(null)).toBe('—');
  });

  it('puts the axis just above the highest value, on a round step', () => {
    expect(niceStep(0.0031)).toBeCloseTo(0.005, 12);
    expect(niceStep(0.0019)).toBeCloseTo(0.002, 12);
    const axis = axisOf([0.0142, 0.01]);
    expect(axis.max).toBeGreaterThanOrEqual(0.0142 * 1.08);
    expect(axis.max / axis.step).toBeCloseTo(Math.round(axis.max / axis.step), 9);
  });

  it('escapes any text so that it reads back the same and closes nothing', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        const back = escaped
          .replaceAll('&lt;', '<')
          .replaceAll('&gt;', '>')
          .replaceAll('&quot;', '"')
          .replaceAll('&#39;', "'")
          .replaceAll('&amp;', '&');
        expect(back).toBe(text);
      }),
    );
  });
});
