/**
 * Small SVG time charts drawn in the browser: stacked or overlaid areas, or columns when
 * there are too few points for a line to mean anything (a batch a minute old). Plain
 * ES2020 without backticks or template placeholders (embedded in a template string).
 */
export const clientCharts = `
const SVG_NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}

/** A round top for the y axis whose half is a whole number too (counts have no halves). */
function niceMax(value) {
  if (!(value > 2)) return 2;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 4, 6, 8, 10]) if (m * power >= value) return m * power;
  return 10 * power;
}

function compact(n) {
  if (n >= 1e6) return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + 'M';
  if (n >= 1e4) return Math.round(n / 1e3) + 'k';
  return Math.round(n).toLocaleString('en-US');
}

/**
 * opts: { id, title, times: [ms], series: [{ name, color, values: [number] }], stacked,
 * percent (values are shares 0–1), columns (force columns), width, height, note }.
 */
function timeChart(opts) {
  const W = opts.width || 560;
  const H = opts.height || 170;
  const L = 46;
  const R = 12;
  const T = 10;
  const B = 22;
  const pw = W - L - R;
  const ph = H - T - B;
  const n = opts.times.length;
  const figure = h('figure', { class: 'chart', 'data-chart': opts.id || '' });
  figure.append(
    h(
      'figcaption',
      {},
      h('span', { class: 'title', text: opts.title }),
      opts.series.map((series) => h('span', { class: 'key', style: { '--swatch': series.color }, text: series.name })),
      opts.note ? h('span', { text: opts.note }) : null,
    ),
  );
  const svg = s('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': opts.title });
  figure.append(svg);
  if (n === 0) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'axis' }, 'no data yet'));
    return figure;
  }

  const bands = [];
  let base = new Array(n).fill(0);
  for (const series of opts.series) {
    const low = opts.stacked ? base : new Array(n).fill(0);
    const high = series.values.map((v, i) => low[i] + (v || 0));
    bands.push({ series, low, high });
    if (opts.stacked) base = high;
  }
  const top = Math.max(...bands.map((band) => Math.max(...band.high)));
  const yMax = opts.percent ? 1 : niceMax(top);
  const y = (v) => T + ph - (Math.min(v, yMax) / yMax) * ph;

  for (const frac of [0, 0.5, 1]) {
    const value = yMax * frac;
    svg.append(s('line', { x1: L, x2: W - R, y1: y(value), y2: y(value), class: 'grid-line' }));
    svg.append(s('text', { x: L - 6, y: y(value) + 3, 'text-anchor': 'end', class: 'axis' }, opts.percent ? Math.round(value * 100) + ' %' : compact(value)));
  }

  const columns = opts.columns || n < 6;
  let x;
  if (columns) {
    const slot = pw / n;
    const width = Math.max(2, Math.min(48, slot * 0.7));
    x = (i) => L + slot * i + slot / 2;
    for (const band of bands) {
      for (let i = 0; i < n; i++) {
        const y1 = y(band.high[i]);
        const y0 = y(band.low[i]);
        if (y0 - y1 <= 0) continue;
        svg.append(s('rect', { x: x(i) - width / 2, y: y1, width, height: y0 - y1, fill: band.series.color, rx: 1 },
          s('title', {}, band.series.name + ': ' + (opts.percent ? Math.round((band.high[i] - band.low[i]) * 100) + ' %' : compact(band.high[i] - band.low[i])))));
      }
    }
  } else {
    const t0 = opts.times[0];
    const span = Math.max(1, opts.times[n - 1] - t0);
    x = (i) => L + ((opts.times[i] - t0) / span) * pw;
    for (const band of bands) {
      let upper = '';
      let lower = '';
      for (let i = 0; i < n; i++) upper += (i ? 'L' : 'M') + x(i).toFixed(1) + ',' + y(band.high[i]).toFixed(1);
      for (let i = n - 1; i >= 0; i--) lower += 'L' + x(i).toFixed(1) + ',' + y(band.low[i]).toFixed(1);
      svg.append(s('path', { d: upper + lower + 'Z', fill: band.series.color, 'fill-opacity': opts.stacked ? 0.75 : 0.18 }));
      svg.append(s('path', { d: upper, fill: 'none', stroke: band.series.color, 'stroke-width': 1.5 }));
    }
  }

  const labels = n > 2 ? [0, Math.floor((n - 1) / 2), n - 1] : n === 2 ? [0, 1] : [0];
  const withSeconds = opts.times[n - 1] - opts.times[0] < 10 * 60000;
  for (const i of labels) {
    // Columns sit inside the plot; the ends of a line reach its edges, so their labels lean inwards.
    const anchor = columns || labels.length === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
    svg.append(s('text', { x: x(i), y: H - 6, 'text-anchor': anchor, class: 'axis' }, fmtClock(opts.times[i], withSeconds)));
  }
  return figure;
}
`;
