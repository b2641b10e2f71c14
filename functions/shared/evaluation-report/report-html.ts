/**
 * The report a person reads: one self-contained page in Chinese (inline CSS and SVG, no script, no
 * external asset) that prints on one A4 page. From the top: the city figure against the target and the
 * benchmark, the districts' ratios as bars with the target line, the city's trend over the campaign, the
 * milestones and the drift check, the ranking table. Every text from the data is escaped.
 */
import type { DistrictFigure, EvaluationSnapshot, MilestoneResult } from '#domain/evaluation.ts';
import { escapeHtml, grouped, shanghaiDateTime } from './html-text.ts';
import { barChartSvg, trendChartSvg } from './report-charts.ts';
import { REPORT_CSS } from './report-css.ts';
import {
  changeText,
  counterLabel,
  percent,
  percentagePoints,
  phasesOf,
  type ReportInput,
  rowsInRankOrder,
  trendPoints,
  visibleSnapshot,
} from './report-input.ts';

const e = escapeHtml;

function staleBanner(snapshot: EvaluationSnapshot): string {
  if (snapshot.stale === undefined) return '';
  return `<div class="stale" role="alert"><b>本报告已过期：</b>${e(snapshot.stale.reason)}（评估于 ${e(shanghaiDateTime(snapshot.stale.since))}）。数据已变化，请重新评估本月后再引用。</div>`;
}

/** At most `shown` names, then how many more: the page has room for a line, not for 24 names. */
function shortList(items: readonly string[], shown = 5): string {
  if (items.length <= shown) return items.join('、');
  return `${items.slice(0, shown).join('、')} 等 ${items.length} 个`;
}

/** A long text cut to `max` characters, the whole of it in the tooltip. */
function clipped(text: string, max = 70): string {
  if (text.length <= max) return e(text);
  return `<span title="${e(text)}">${e(text.slice(0, max))}…</span>`;
}

function targetVerdict(ratio: number | null, target: number): string {
  if (ratio === null) return '<span class="badge unknown">无法计算</span>';
  return ratio < target
    ? '<span class="badge good">低于目标</span>'
    : '<span class="badge bad">未低于目标</span>';
}

function cityCards(snapshot: EvaluationSnapshot, names: ReadonlyMap<string, string>): string {
  const { city, campaign, benchmark } = snapshot;
  const ratio = city.ratio;
  const missing =
    city.missingDenominators.length > 0
      ? `<div class="note bad-text">缺少法人企业数：${e(shortList(city.missingDenominators.map((code) => names.get(code) ?? code)))}</div>`
      : '';
  const gap =
    ratio === null
      ? '—'
      : `${ratio < campaign.targetRatio ? '低' : '高出'} ${Math.abs(percentagePoints(ratio - campaign.targetRatio)).toFixed(3)} 个百分点`;
  const benchmarkCard =
    benchmark === undefined
      ? '<div class="value muted">暂无</div><div class="note">尚未录入省会及副省级城市平均</div>'
      : `<div class="value">${percent(benchmark.value)}</div><div class="note">${e(benchmark.month)} 省会及副省级城市平均 ${
          ratio === null
            ? ''
            : ratio < benchmark.value
              ? '<span class="badge good">低于对标</span>'
              : '<span class="badge bad">未低于对标</span>'
        }</div>`;
  return `<section class="cards">
<div class="card main"><div class="label">全市严重失信企业占比</div><div class="value big" data-city-ratio="${ratio ?? ''}">${ratio === null ? '—' : percent(ratio)}</div><div class="note">列入企业 ${grouped(city.numerator)} / 法人企业 ${grouped(city.denominator)} ${targetVerdict(ratio, campaign.targetRatio)}</div>${missing}</div>
<div class="card"><div class="label">目标</div><div class="value">${percent(campaign.targetRatio)}</div><div class="note">与目标相比：${e(gap)}</div></div>
<div class="card"><div class="label">对标</div>${benchmarkCard}</div>
<div class="card"><div class="label">环比（较 ${e(city.monthOnMonth.previousMonth)}）</div><div class="value">${e(changeText(city.monthOnMonth.ratioChange))}</div><div class="note">新增 ${grouped(city.flows.newlyListed)} · 退出 ${grouped(city.flows.exited)} · 净变化 ${signed(city.flows.net)}${snapshot.unassigned > 0 ? ` · 未落区 ${grouped(snapshot.unassigned)}` : ''}</div></div>
</section>`;
}

function signed(value: number): string {
  return value > 0 ? `+${grouped(value)}` : grouped(value);
}

const MILESTONE_MARKS = {
  met: ['met', '已达成'],
  unmet: ['unmet', '未达成'],
  pending: ['pending', '未到期'],
} as const;

function milestoneItem(m: MilestoneResult, month: string): string {
  const [className, text] =
    m.met === true
      ? MILESTONE_MARKS.met
      : m.met === false
        ? MILESTONE_MARKS.unmet
        : m.due.slice(0, 7) > month
          ? MILESTONE_MARKS.pending
          : (['pending', '无法判断'] as const);
  return `<li class="milestone ${className}" data-milestone="${e(m.id)}"><span class="mark">${text}</span> <b>${e(m.label)}</b>（${e(m.due)} 前）<br><span class="detail">${clipped(m.detail)}</span></li>`;
}

function driftLine(snapshot: EvaluationSnapshot, names: ReadonlyMap<string, string>): string {
  if (snapshot.drift.length === 0)
    return '<p class="drift ok" data-drift="0">计数核对：无偏差（计数器与列入主体索引重新统计一致）</p>';
  const lines = snapshot.drift.map(
    (line) =>
      `${e(names.get(line.district) ?? line.district)} ${e(counterLabel(line.attribute))}：计数 ${line.stored}，重新统计 ${line.recount}`,
  );
  return `<p class="drift bad-text" data-drift="${snapshot.drift.length}">计数核对发现偏差（已记录，未自动更正）：${lines.join('；')}</p>`;
}

function rankingRow(d: DistrictFigure, month: string, named: ReadonlyMap<string, string>): string {
  const over = d.aboveTarget === true ? ' class="over"' : '';
  const denominatorMonth =
    d.denominatorMonth !== null && d.denominatorMonth !== month
      ? `<small>（${e(d.denominatorMonth)}）</small>`
      : '';
  const badge = named.get(d.district) ?? '';
  return `<tr${over} data-district="${e(d.district)}" data-rank="${d.rank ?? ''}" data-ratio="${d.ratio ?? ''}">
<td>${d.rank ?? '—'}</td><td class="name">${e(d.name)}${badge}</td><td>${grouped(d.numerator)}</td><td>${d.denominator === null ? '—' : grouped(d.denominator)}${denominatorMonth}</td><td class="ratio">${d.ratio === null ? '—' : percent(d.ratio)}</td><td>${e(changeText(d.change.ratioChange))}</td><td>${grouped(d.flows.newlyListed)}</td><td>${grouped(d.flows.exited)}</td><td>${signed(d.flows.net)}</td><td>${d.aboveTarget === null ? '—' : d.aboveTarget ? '未低于' : '低于'}</td></tr>`;
}

function rankingTable(snapshot: EvaluationSnapshot): string {
  const named = new Map<string, string>([
    ...snapshot.ranking.best.map((code) => [code, ' <span class="badge good">较好</span>'] as const),
    ...snapshot.ranking.worst.map((code) => [code, ' <span class="badge bad">较差</span>'] as const),
  ]);
  const { city } = snapshot;
  const cityRow = `<tr class="city" data-district="city"><td></td><td class="name">全市</td><td>${grouped(city.numerator)}</td><td>${grouped(city.denominator)}</td><td class="ratio">${city.ratio === null ? '—' : percent(city.ratio)}</td><td>${e(changeText(city.monthOnMonth.ratioChange))}</td><td>${grouped(city.flows.newlyListed)}</td><td>${grouped(city.flows.exited)}</td><td>${signed(city.flows.net)}</td><td>${city.aboveTarget === null ? '—' : city.aboveTarget ? '未低于' : '低于'}</td></tr>`;
  const rows = rowsInRankOrder(snapshot.districts).map((d) => rankingRow(d, snapshot.month, named));
  return `<table class="ranking"><thead><tr><th>排名</th><th>区县</th><th>列入企业数</th><th>法人企业数</th><th>比例</th><th>环比</th><th>本月新增</th><th>本月退出</th><th>净变化</th><th>目标</th></tr></thead>
<tbody>${cityRow}${rows.join('')}</tbody></table>`;
}

function namedLine(snapshot: EvaluationSnapshot, names: ReadonlyMap<string, string>): string {
  const list = (codes: readonly string[]) => codes.map((code) => e(names.get(code) ?? code)).join('、');
  if (snapshot.ranking.best.length === 0 && snapshot.ranking.worst.length === 0) return '';
  return `<p class="named">占比较低：${list(snapshot.ranking.best)}；占比较高：${list(snapshot.ranking.worst)}</p>`;
}

/** The page, complete: `<!doctype html>` to `</html>`. */
export function evaluationReportHtml(input: ReportInput): string {
  const snapshot = visibleSnapshot(input);
  const { campaign, month } = snapshot;
  const names = new Map(input.snapshot.districts.map((d) => [d.district, d.name]));
  const districtName =
    input.district === undefined ? undefined : (names.get(input.district) ?? input.district);
  const title = `${campaign.name} 月度评价报告 ${month}${districtName === undefined ? '' : `（${districtName}）`}`;
  const phases = phasesOf(input.campaign, month);
  const countsMonth = snapshot.inputs.countsMonth;
  const meta = [
    phases.length > 0 ? `阶段：${phases.join('、')}` : '',
    `计算时间：${shanghaiDateTime(snapshot.computedAt)}（北京时间）`,
    countsMonth === null
      ? ''
      : `法人企业数所属月份：${countsMonth}${countsMonth === month ? '' : '（最近一期）'}`,
    `统计口径：统一社会信用代码以 ${campaign.scopePrefixes.join('、')} 开头的企业`,
    `方案第 ${snapshot.inputs.campaignVersion} 版`,
  ].filter((part) => part !== '');
  const bars = barChartSvg({
    districts: rowsInRankOrder(snapshot.districts),
    targetRatio: campaign.targetRatio,
    benchmark: snapshot.benchmark,
  });
  const trend = trendChartSvg(trendPoints(input), campaign.targetRatio);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${REPORT_CSS}</style></head>
<body${snapshot.stale ? ' data-stale="true"' : ''}><main>
<header><h1>${e(title)}</h1><p class="meta">${meta.map(e).join(' · ')}</p></header>
${staleBanner(snapshot)}${cityCards(snapshot, names)}
<section class="bars"><h2>各区县严重失信企业占比（按排名，排名 1 为占比最低；红色为未低于目标）</h2>${bars}</section>
<div class="columns">
<section class="trend"><h2>全市占比走势</h2>${trend}</section>
<section class="milestones"><h2>目标里程碑</h2><ul>${snapshot.milestones.map((m) => milestoneItem(m, month)).join('')}</ul>${driftLine(snapshot, names)}</section>
</div>
<section class="table"><h2>排名</h2>${rankingTable(snapshot)}${namedLine(snapshot, names)}</section>
</main></body></html>
`;
}
