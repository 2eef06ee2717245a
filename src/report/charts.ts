/**
 * The one home of chart rendering for Allina's HTML reports: small chart functions that take
 * plain data and return an inline SVG string, rendered at build time, so a report is one file
 * that opens offline and runs no script.
 *
 * Why Vega-Lite + Vega (pinned exactly in package.json): Vega renders to an SVG string in Node
 * by itself (`View.toSVG()`), with no DOM emulation (jsdom/linkedom) to install and keep in step;
 * Vega-Lite gives the short declarative specs (bin, aggregate, rect heat-maps) so nothing here
 * draws marks by hand. Both are loaded lazily: `allina eval` without `--report` never pays for them.
 */
import type { TopLevelSpec } from 'vega-lite';

/** Options shared by every chart. Sizes are of the plotting area in CSS pixels. */
export interface ChartOptions {
  /** Read by screen readers (`aria-label`) and shown by the report beside the chart, not inside it. */
  title: string;
  width?: number;
  height?: number;
  xTitle?: string;
  yTitle?: string;
}

/** Colour of each series, in series order: Vega's "tableau10", readable for most colour-blind readers. */
const SERIES_SCHEME = 'tableau10';

const BASE_CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: '#d0d7de' },
  axis: { labelColor: '#24292f', titleColor: '#24292f', gridColor: '#eaeef2', labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' as const },
};

let chartCounter = 0;

/**
 * Renders any Vega-Lite spec to an SVG string (inline values only: nothing is loaded). The
 * element ids Vega writes (clip paths, gradients) are made unique per chart, so several charts
 * can live in one HTML page.
 *
 * @example
 * const svg = await renderVegaLite({ data: { values: [{ a: 'x', b: 1 }] }, mark: 'bar',
 *   encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } }, 'one bar');
 * svg.startsWith('<svg') // → true
 */
export async function renderVegaLite(spec: TopLevelSpec, title: string): Promise<string> {
  const [vegaLite, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const compiled = vegaLite.compile({ ...spec, config: { ...BASE_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  // No loader may reach out: a spec that asks for a URL fails instead of fetching.
  const loader = vega.loader({ mode: 'file' });
  loader.load = () => Promise.reject(new Error('charts render inline data only'));
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    const svg = await view.toSVG();
    const prefix = `c${++chartCounter}-`;
    return svg
      .replace(/\bid="([^"]+)"/g, (_, id) => `id="${prefix}${id}"`)
      .replace(/url\(#([^)]+)\)/g, (_, id) => `url(#${prefix}${id})`)
      .replace(/href="#([^"]+)"/g, (_, id) => `href="#${prefix}${id}"`)
      .replace(/^<svg /, `<svg role="img" aria-label="${escapeAttribute(title)}" `);
  } finally {
    view.finalize();
  }
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** One bar: `category` on the x axis, `value` its height; bars of several `series` stand side by side. */
export interface BarDatum {
  category: string;
  value: number;
  series?: string;
}

/**
 * A bar chart (grouped when the data has more than one series).
 *
 * @example
 * await barChart([{ category: 'pl', value: 0.92 }, { category: 'cs', value: 0.9 }], { title: 'macro-F1 by language' })
 */
export function barChart(data: BarDatum[], options: ChartOptions & { yDomain?: [number, number]; format?: string }): Promise<string> {
  const grouped = new Set(data.map((datum) => datum.series ?? '')).size > 1;
  return renderVegaLite({
    width: options.width ?? 420,
    height: options.height ?? 220,
    data: { values: data.map((datum) => ({ ...datum, series: datum.series ?? '' })) },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'category', type: 'nominal', sort: null, title: options.xTitle ?? null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: options.yTitle ?? null, ...(options.yDomain ? { scale: { domain: options.yDomain } } : {}), ...(options.format ? { axis: { format: options.format } } : {}) },
      ...(grouped ? { xOffset: { field: 'series', type: 'nominal', sort: null }, color: { field: 'series', type: 'nominal', sort: null, title: null, scale: { scheme: SERIES_SCHEME } } } : { color: { value: '#4e79a7' } }),
    },
  } as TopLevelSpec, options.title);
}

/** A point of a line; `series` names the line it belongs to. */
export interface LinePoint {
  x: number;
  y: number;
  series: string;
}

/** A labelled point drawn over a line chart (e.g. the chosen threshold on a risk–coverage curve). */
export interface Marker {
  x: number;
  y: number;
  label: string;
  series?: string;
}

/**
 * Lines with points, in the given point order (not sorted by x, so curves may turn back).
 * Optional `markers` are drawn as large labelled points; `diagonal` adds the y = x reference
 * line of a reliability diagram.
 *
 * @example
 * await lineChart([{ x: 0.1, y: 0.2, series: 'model' }, { x: 0.5, y: 0.6, series: 'model' }], { title: 'curve', diagonal: true })
 */
export function lineChart(points: LinePoint[], options: ChartOptions & { xDomain?: [number, number]; yDomain?: [number, number]; xFormat?: string; yFormat?: string; markers?: Marker[]; diagonal?: boolean }): Promise<string> {
  const seriesNames = [...new Set([...points.map((point) => point.series), ...(options.markers ?? []).map((marker) => marker.series ?? '')].filter((name) => name !== ''))];
  const x = { field: 'x', type: 'quantitative', title: options.xTitle ?? null, ...(options.xDomain ? { scale: { domain: options.xDomain } } : {}), ...(options.xFormat ? { axis: { format: options.xFormat } } : {}) };
  const y = { field: 'y', type: 'quantitative', title: options.yTitle ?? null, ...(options.yDomain ? { scale: { domain: options.yDomain } } : {}), ...(options.yFormat ? { axis: { format: options.yFormat } } : {}) };
  const color = { field: 'series', type: 'nominal', title: null, sort: seriesNames, scale: { domain: seriesNames, scheme: SERIES_SCHEME }, legend: seriesNames.length > 1 ? {} : null };
  const layers: object[] = [];
  if (options.diagonal) {
    const [from, to] = options.xDomain ?? [0, 1];
    layers.push({ data: { values: [{ x: from, y: from }, { x: to, y: to }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#8c959f' }, encoding: { x, y } });
  }
  layers.push({
    data: { values: points.map((point, order) => ({ ...point, order })) },
    mark: { type: 'line', point: { size: 28 }, strokeWidth: 2 },
    encoding: { x, y, color, order: { field: 'order', type: 'quantitative' } },
  });
  if (options.markers?.length) {
    const values = options.markers.map((marker) => ({ ...marker, series: marker.series ?? seriesNames[0] ?? '' }));
    layers.push({ data: { values }, mark: { type: 'point', filled: true, size: 140, shape: 'diamond', color: '#e15759', stroke: '#24292f', strokeWidth: 1 }, encoding: { x, y } });
    layers.push({ data: { values }, mark: { type: 'text', align: 'left', dx: 9, dy: -9, fontSize: 11, fontWeight: 'bold', color: '#24292f' }, encoding: { x, y, text: { field: 'label' } } });
  }
  return renderVegaLite({ width: options.width ?? 420, height: options.height ?? 260, layer: layers } as TopLevelSpec, options.title);
}

const HEAT_COLOURS = ['#ffffff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];

/** One cell of a heat-map: `value` colours it, `label` (default: the value) is written in it. */
export interface HeatCell {
  row: string;
  column: string;
  value: number;
  label?: string;
}

/**
 * A heat-map over fixed row and column orders (e.g. a confusion matrix: rows = true intent,
 * columns = predicted), each cell coloured by `value` and labelled.
 *
 * @example
 * await heatmap([{ row: 'a', column: 'a', value: 0.9, label: '9' }], { title: 'confusion', rows: ['a'], columns: ['a'] })
 */
export function heatmap(cells: HeatCell[], options: ChartOptions & { rows: string[]; columns: string[]; valueTitle?: string; valueDomain?: [number, number]; cellSize?: number }): Promise<string> {
  const size = options.cellSize ?? 34;
  const domain = options.valueDomain ?? [0, Math.max(1e-9, ...cells.map((cell) => cell.value))];
  const values = cells.map((cell) => ({ ...cell, label: cell.label ?? String(cell.value), dark: cell.value > domain[0] + (domain[1] - domain[0]) * 0.6 }));
  // White at the bottom, so empty cells read as empty; ColorBrewer blues above it.
  const stops = HEAT_COLOURS.map((_, index) => domain[0] + ((domain[1] - domain[0]) * index) / (HEAT_COLOURS.length - 1));
  const x = { field: 'column', type: 'ordinal', sort: options.columns, scale: { domain: options.columns }, title: options.xTitle ?? null, axis: { labelAngle: -40, orient: 'top' } };
  const y = { field: 'row', type: 'ordinal', sort: options.rows, scale: { domain: options.rows }, title: options.yTitle ?? null };
  return renderVegaLite({
    width: options.width ?? size * options.columns.length,
    height: options.height ?? size * options.rows.length,
    data: { values },
    layer: [
      { mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1 }, encoding: { x, y, color: { field: 'value', type: 'quantitative', scale: { type: 'linear', domain: stops, range: HEAT_COLOURS, interpolate: 'lab' }, title: options.valueTitle ?? null, legend: { orient: 'right', direction: 'vertical', gradientLength: Math.min(160, size * options.rows.length) } } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { x, y, text: { field: 'label' }, color: { condition: { test: 'datum.dark', value: '#ffffff' }, value: '#24292f' } } },
    ],
  } as TopLevelSpec, options.title);
}

/** One value to count into a histogram bin, with the series (bar colour) it belongs to. */
export interface HistogramDatum {
  value: number;
  series: string;
}

/**
 * Histograms of values binned by Vega-Lite into `step`-wide bins over `extent`: one panel per
 * series, stacked, each with its own count axis (so a series of 50 is as readable as one of 2,000).
 *
 * @example
 * await histogram([{ value: 0.93, series: 'right' }, { value: 0.41, series: 'wrong' }], { title: 'confidence', extent: [0, 1], step: 0.05 })
 */
export function histogram(data: HistogramDatum[], options: ChartOptions & { extent: [number, number]; step: number; seriesOrder?: string[]; seriesColors?: string[] }): Promise<string> {
  const seriesOrder = options.seriesOrder ?? [...new Set(data.map((datum) => datum.series))];
  const colour = options.seriesColors ? { domain: seriesOrder, range: options.seriesColors } : { domain: seriesOrder, scheme: SERIES_SCHEME };
  return renderVegaLite({
    data: { values: data },
    facet: { row: { field: 'series', type: 'nominal', sort: seriesOrder, title: null, header: { labelAngle: 0, labelAlign: 'left', labelOrient: 'top', labelFontSize: 12, labelFontWeight: 'bold' } } },
    spacing: 14,
    spec: {
      width: options.width ?? 420,
      height: options.height ?? 90,
      mark: { type: 'bar', binSpacing: 1 },
      encoding: {
        x: { field: 'value', type: 'quantitative', bin: { extent: options.extent, step: options.step }, scale: { domain: options.extent }, title: options.xTitle ?? null },
        y: { aggregate: 'count', type: 'quantitative', title: options.yTitle ?? 'questions' },
        color: { field: 'series', type: 'nominal', title: null, scale: colour, legend: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec, options.title);
}
