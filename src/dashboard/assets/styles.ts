/** The dashboard's stylesheet, served as /assets/dashboard.css (nothing is loaded from elsewhere). */
export const dashboardCss = `
:root {
  --bg: #f4f6f9; --panel: #ffffff; --ink: #1d2733; --muted: #66727f; --line: #e2e7ee;
  --ok: #2e9d5b; --failed: #d64545; --active: #3b7ddd; --waiting: #d99a1e; --rejected: #8a6d3b;
  --exact: #6f52e8; --semantic: #1fa4b3; --miss: #a3adb8;
  --healthy: #2e9d5b; --degraded: #d99a1e; --unhealthy: #d64545; --unknown: #8893a0; --off: #c3cad3;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  font-size: 14px; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: #2a62c9; text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #1b2430; color: #e9eef5; }
header.top .brand { color: #fff; font-weight: 700; font-size: 17px; letter-spacing: .02em; }
header.top nav { display: flex; gap: 16px; }
header.top nav a { color: #b9c6d6; }
header.top nav a.current { color: #fff; font-weight: 600; }
header.top .spacer { flex: 1; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; line-height: 18px; white-space: nowrap; }
.badge.ro { background: #3a4656; color: #e9eef5; }
.status { font-size: 12px; color: #b9c6d6; }
.status.error { color: #ffb3b3; font-weight: 600; }
main { padding: 16px 24px 40px; max-width: 1600px; margin: 0 auto; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
section h2 { font-size: 15px; margin: 0 0 10px; display: flex; align-items: baseline; gap: 10px; }
section h2 .hint { font-weight: 400; font-size: 12px; color: var(--muted); }
.empty { color: var(--muted); padding: 8px 0; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-weight: 600; font-size: 12px; color: var(--muted); border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: middle; }
tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.small { font-size: 12px; color: var(--muted); }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.ok { color: var(--ok); } .failed { color: var(--failed); } .active { color: var(--active); } .waiting { color: var(--waiting); }
.bar { position: relative; display: flex; height: 10px; min-width: 140px; border-radius: 5px; background: #e8ecf2; overflow: hidden; }
.bar span { display: block; height: 100%; }
.bar .ok { background: var(--ok); } .bar .failed { background: var(--failed); }
.bar .active { background: repeating-linear-gradient(45deg, var(--active), var(--active) 4px, #6b9ee8 4px, #6b9ee8 8px); }
.bar .exact { background: var(--exact); } .bar .semantic { background: var(--semantic); } .bar .miss { background: var(--miss); }
.bar.thin { height: 6px; min-width: 90px; }
.progress-cell { min-width: 150px; }
.batch-cell { max-width: 240px; overflow-wrap: anywhere; }
.batch-cell .source { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.cache-cell .bar { min-width: 100px; }
.progress-cell .label { font-size: 12px; color: var(--muted); margin-top: 3px; }
.state { color: #fff; }
.state.HEALTHY { background: var(--healthy); } .state.DEGRADED { background: var(--degraded); }
.state.UNHEALTHY { background: var(--unhealthy); } .state.UNKNOWN { background: var(--unknown); }
.state.OFF { background: var(--off); color: #3b4450; }
.phase { background: #e8ecf2; color: #3b4450; }
.phase.finished { background: #dff3e7; color: #1f6e40; }
.phase.processing { background: #e2ecfb; color: #24559f; }
.phase.ingest-failed, .phase.ingest-stalled { background: #fbe3e3; color: #9b1c1c; }
.error-text.ingest-error { max-width: none; white-space: normal; display: block; margin: 6px 0; font-size: 13px; }
.error-text.past { color: var(--muted); }
.error-text { color: var(--failed); font-size: 12px; max-width: 220px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; display: inline-block; vertical-align: middle; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card h3 { margin: 0 0 6px; font-size: 14px; display: flex; justify-content: space-between; align-items: baseline; }
.counts { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin-bottom: 6px; }
.counts b { color: var(--ink); font-variant-numeric: tabular-nums; }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 6px 0 12px; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; min-width: 0; }
.stat .v { overflow-wrap: anywhere; }
.stat .k { font-size: 12px; color: var(--muted); }
.stat .v { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.bigbar .bar { height: 16px; border-radius: 8px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 12px; }
figure.chart { margin: 0; }
figure.chart figcaption { font-size: 12px; color: var(--muted); margin-bottom: 4px; display: flex; gap: 12px; flex-wrap: wrap; }
figure.chart figcaption .title { color: var(--ink); font-weight: 600; }
figure.chart .key::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; background: var(--swatch); }
figure.chart svg { width: 100%; height: auto; display: block; }
svg .axis { font-size: 10px; fill: var(--muted); }
svg .grid-line { stroke: var(--line); stroke-width: 1; }
.links { display: flex; gap: 14px; flex-wrap: wrap; font-size: 13px; }
/* Narrower screens (down to 1,024 px): tighter spacing so every column stays on screen. */
@media (max-width: 1280px) {
  main { padding: 12px 12px 32px; }
  section { padding: 12px; }
  th, td { padding-left: 5px; padding-right: 5px; }
  .batch-cell { max-width: 190px; }
  .progress-cell { min-width: 130px; }
}
`;
