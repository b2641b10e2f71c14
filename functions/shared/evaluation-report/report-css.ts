/**
 * The report page's style, inline in the page. Sized for one A4 page: 190 mm of width inside 10 mm
 * margins, compact type; the same layout on screen, centred. Fonts are the system's CJK fonts (no web
 * font: the page must open without a network).
 */
export const REPORT_CSS = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #fff; color: #1f2328;
  font: 10px/1.35 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
main { width: 190mm; margin: 0 auto; padding: 0; }
h1 { font-size: 15px; margin: 0 0 2px; }
h2 { font-size: 11px; margin: 6px 0 2px; color: #24476b; }
.meta { margin: 0; color: #57606a; font-size: 9px; }
.stale { margin: 4px 0; padding: 4px 6px; border: 1px solid #cf222e; background: #ffebe9; color: #a40e26; font-size: 10px; }
.cards { display: grid; grid-template-columns: 1.5fr 1fr 1fr 1.3fr; gap: 4px; margin-top: 5px; }
.card { border: 1px solid #d0d7de; border-radius: 3px; padding: 3px 6px; }
.card.main { border-color: #24476b; background: #f3f8fd; }
.label { color: #57606a; font-size: 9px; }
.value { font-size: 14px; font-weight: 700; }
.value.big { font-size: 20px; color: #24476b; }
.value.muted { color: #8c959f; }
.note { font-size: 8.5px; color: #57606a; }
.badge { display: inline-block; padding: 0 3px; border-radius: 2px; font-size: 8px; font-weight: 400; }
.badge.good { background: #dafbe1; color: #116329; }
.badge.bad { background: #ffebe9; color: #a40e26; }
.badge.unknown { background: #eaeef2; color: #57606a; }
.bad-text { color: #a40e26; }
svg { display: block; width: 100%; height: auto; font-family: inherit; }
svg .grid { stroke: #eaeef2; stroke-width: 0.6; }
svg .axis { stroke: #8c959f; stroke-width: 0.8; }
svg .tick { font-size: 7.5px; fill: #57606a; }
svg .bar rect { fill: #4a7fc1; }
svg .bar.over rect { fill: #d1495b; }
svg .bar-value { font-size: 7px; fill: #1f2328; paint-order: stroke; stroke: #fff; stroke-width: 2px; }
svg .bar-missing .bar-value { fill: #8c959f; }
svg .bar-name { font-size: 8px; fill: #1f2328; writing-mode: vertical-rl; text-orientation: upright; letter-spacing: -0.5px; }
svg .target-line { stroke: #cf222e; stroke-width: 1; stroke-dasharray: 4 2; }
svg .target-line-label { font-size: 8px; fill: #cf222e; }
svg .benchmark-line { stroke: #8250df; stroke-width: 0.9; stroke-dasharray: 1.5 1.5; }
svg .benchmark-line-label { font-size: 8px; fill: #8250df; }
svg .trend-line { fill: none; stroke: #24476b; stroke-width: 1.4; }
svg .trend-point { fill: #24476b; }
svg .trend-value { font-size: 8px; fill: #24476b; font-weight: 700; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.milestones ul { list-style: none; margin: 0; padding: 0; }
.milestone { margin: 0 0 3px; padding-left: 4px; border-left: 3px solid #d0d7de; font-size: 9px; }
.milestone.met { border-color: #1a7f37; }
.milestone.unmet { border-color: #cf222e; }
.milestone .mark { font-weight: 700; }
.milestone.met .mark { color: #1a7f37; }
.milestone.unmet .mark { color: #cf222e; }
.milestone.pending .mark { color: #57606a; }
.milestone .detail { color: #57606a; font-size: 8.5px; }
.drift { font-size: 9px; margin: 4px 0 0; }
.drift.ok { color: #116329; }
table.ranking { width: 100%; border-collapse: collapse; font-size: 9px; }
.ranking th, .ranking td { border-bottom: 1px solid #eaeef2; padding: 1px 4px; text-align: right; white-space: nowrap; }
.ranking th { background: #24476b; color: #fff; font-weight: 600; text-align: center; }
.ranking td.name { text-align: left; }
.ranking tr.city td { font-weight: 700; background: #f3f8fd; }
.ranking tr.over td.ratio { color: #a40e26; font-weight: 700; }
.ranking small { color: #8c959f; font-size: 7.5px; }
.named { margin: 3px 0 0; font-size: 9px; }
@media print { main { width: auto; } }
`;
