/**
 * The HTML report in a real browser (issue 11 item 7): Debian's headless Chromium lays out the page for
 * a snapshot with known figures; the bars are measured where the browser drew them (count, order,
 * heights proportional to the ratios, the 1% line at its height), the ranking table read as rendered,
 * the page printed to PDF and its pages counted (one A4 page), a screenshot saved under
 * `test-artifacts/` for a person to look at. Without Chromium the test says so and is skipped, except
 * under CI (`CI` set), where it must run.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationReportHtml } from '#shared/evaluation-report/report-html.ts';
import { percent, rowsInRankOrder } from '#shared/evaluation-report/report-input.ts';
import { fixtureInput } from '../support/evaluation-report-fixture.ts';

const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM_PATH ?? 'chromium';
const available = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).status === 0;
const required = process.env.CI !== undefined && process.env.CI !== '';
const ARTIFACTS = resolve('test-artifacts');

if (!available && !required) {
  console.warn(`evaluation report browser test skipped: ${CHROMIUM} not found (apt-get install chromium)`);
}

let profile: string;

/** Headless Chromium over a file, the page laid out at A4's width in CSS pixels (794 × 1123). */
async function chromium(args: string[], file: string): Promise<string> {
  const { stdout } = await run(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      '--window-size=794,1123',
      '--force-device-scale-factor=1.5625', // 1240 × 1754 pixels: A4 at 150 dpi
      ...args,
      pathToFileURL(file).href,
    ],
    { timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
  );
  return stdout;
}

/** Run in the page after layout: where the browser drew the bars, the lines and the table. */
const MEASURE = `<script>
const box = (el) => el.getBoundingClientRect();
const chart = document.querySelector('svg.bar-chart');
const measured = {
  bars: [...chart.querySelectorAll('g.bar')].map((g) => {
    const r = box(g.querySelector('rect'));
    return { district: g.dataset.district, ratio: Number(g.dataset.ratio), top: r.top, bottom: r.bottom, height: r.height };
  }),
  target: box(chart.querySelector('line.target-line')).top,
  baseline: box(chart.querySelector('line.axis')).top,
  rows: [...document.querySelectorAll('table.ranking tbody tr')].map((tr) =>
    [...tr.cells].map((td) => td.innerText.trim())),
  pageHeight: document.documentElement.scrollHeight,
};
const out = document.createElement('pre');
out.id = 'measured';
out.textContent = encodeURIComponent(JSON.stringify(measured));
document.body.append(out);
</script>`;

interface Measured {
  bars: { district: string; ratio: number; top: number; bottom: number; height: number }[];
  target: number;
  baseline: number;
  rows: string[][];
  pageHeight: number;
}

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe.skipIf(!available && !required)('the HTML report in headless Chromium', () => {
  it('draws a bar per district in rank order, heights proportional to the ratios, the 1% line at 1%', async () => {
    expect(available, `${CHROMIUM} is required under CI`).toBe(true);
    // Prepare
    const input = fixtureInput();
    const ranked = rowsInRankOrder(input.snapshot.districts);
    const html = evaluationReportHtml(input);
    const page = join(ARTIFACTS, 'evaluation-report.html');
    const measuredPage = join(ARTIFACTS, 'evaluation-report.measured.html');
    await writeFile(page, html);
    await writeFile(measuredPage, html.replace('</body>', `${MEASURE}</body>`));
    // Act
    const dom = await chromium(['--dump-dom'], measuredPage);
    await chromium([`--screenshot=${join(ARTIFACTS, 'evaluation-report.png')}`], page);
    // Assess
    const encoded = /<pre id="measured">([^<]*)<\/pre>/.exec(dom)?.[1];
    expect(encoded, 'the measuring script ran').toBeDefined();
    const measured = JSON.parse(decodeURIComponent(encoded ?? '')) as Measured;
    expect(measured.bars.map((bar) => bar.district)).toEqual(ranked.map((d) => d.district));
    const pixelsPerRatio = (measured.baseline - measured.target) / input.snapshot.campaign.targetRatio;
    expect(pixelsPerRatio).toBeGreaterThan(0);
    for (const [index, bar] of measured.bars.entries()) {
      const ratio = ranked[index]?.ratio ?? Number.NaN;
      expect(bar.ratio).toBe(ratio);
      // within a pixel of where the ratio puts it, measured from the baseline
      expect(Math.abs(bar.height - ratio * pixelsPerRatio), bar.district).toBeLessThan(1);
      expect(Math.abs(bar.bottom - measured.baseline)).toBeLessThan(1);
      expect(bar.top <= measured.target + 0.5, bar.district).toBe(ratio >= 0.01);
    }
    const heights = measured.bars.map((bar) => bar.height);
    expect(heights).toEqual([...heights].sort((a, b) => a - b));
  });

  it('shows the ranking table with the figures of each district, the city first', async () => {
    expect(available, `${CHROMIUM} is required under CI`).toBe(true);
    // Prepare
    const input = fixtureInput();
    const ranked = rowsInRankOrder(input.snapshot.districts);
    const measuredPage = join(ARTIFACTS, 'evaluation-report.measured.html');
    await writeFile(measuredPage, evaluationReportHtml(input).replace('</body>', `${MEASURE}</body>`));
    // Act
    const dom = await chromium(['--dump-dom'], measuredPage);
    const measured = JSON.parse(
      decodeURIComponent(/<pre id="measured">([^<]*)<\/pre>/.exec(dom)?.[1] ?? ''),
    ) as Measured;
    // Assess
    const [cityRow, ...rows] = measured.rows;
    expect(cityRow?.slice(1, 5)).toEqual([
      '全市',
      '7,700',
      '894,000',
      percent(input.snapshot.city.ratio ?? 0),
    ]);
    expect(rows).toHaveLength(24);
    rows.forEach((cells, index) => {
      const district = ranked[index];
      expect(cells[0]).toBe(String(district?.rank));
      expect(cells[1]?.startsWith(district?.name ?? '?')).toBe(true);
      expect(cells[2]).toBe(district?.numerator.toLocaleString('en-US'));
      expect(cells[4]).toBe(percent(district?.ratio ?? 0));
    });
  });

  it('prints on one A4 page, stale banner and drift line included', async () => {
    expect(available, `${CHROMIUM} is required under CI`).toBe(true);
    // Prepare: the longest page: a stale banner and drift lines on top of the 24 rows
    const input = fixtureInput({
      stale: { since: '2023-03-31T18:00:00.000Z', reason: '长安区失信企业数 284→283；桥西区法人企业数变化' },
      drift: [
        { district: '130104', attribute: 'listed_91', stored: 6, recount: 1 },
        { district: '130102', attribute: 'listedSubjects', stored: 290, recount: 288 },
      ],
    });
    const page = join(ARTIFACTS, 'evaluation-report-stale.html');
    const pdf = join(ARTIFACTS, 'evaluation-report-stale.pdf');
    await writeFile(page, evaluationReportHtml(input));
    // Act
    await chromium([`--print-to-pdf=${pdf}`, '--no-pdf-header-footer'], page);
    await chromium([`--screenshot=${join(ARTIFACTS, 'evaluation-report-stale.png')}`], page);
    // Assess
    const bytes = (await readFile(pdf)).toString('latin1');
    expect(bytes.startsWith('%PDF')).toBe(true);
    expect(bytes.match(/\/Type\s*\/Page(?![s\w])/g)?.length).toBe(1);
    // A4: 210 × 297 mm = 595 × 842 points
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(bytes);
    expect(Number(box?.[1])).toBeCloseTo(595, 0);
    expect(Number(box?.[2])).toBeCloseTo(842, 0);
  });
});
