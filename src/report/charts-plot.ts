import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/**
 * Charts for HTML reports: Observable Plot rendered at build time to inline SVG (markup only, no
 * script, no fonts or assets to fetch), on a server-side DOM (linkedom). Every chart the reports
 * draw is built here, so they share one look and one renderer.
 */

const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

/**
 * Renders Plot options to a self-contained `<figure>`/`<svg>` string.
 *
 * @example
 * const svg = renderPlot({ marks: [Plot.barY([{ day: 'Mon', n: 3 }], { x: 'day', y: 'n' })] });
 */
export function renderPlot(options: Plot.PlotOptions): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const chart = Plot.plot({ style: { fontFamily: FONT, fontSize: '11px', overflow: 'visible' }, ...options, document: document as unknown as Document });
  return chart.outerHTML;
}

/** One value of a series at one x position (a period, a category). */
export interface SeriesPoint {
  x: string;
  series: string;
  value: number;
}

/** Rates (0–1) over ordered x positions, one line per series, values in each point's title. */
export function rateLines(points: SeriesPoint[], options: { title: string; xLabel: string }): string {
  const order = [...new Set(points.map((point) => point.x))];
  return renderPlot({
    title: options.title,
    width: 760,
    height: 280,
    marginBottom: 50,
    x: { type: 'point', domain: order, label: options.xLabel, tickRotate: order.length > 10 ? -40 : 0 },
    y: { percent: true, grid: true, label: '%', domain: [0, 100] },
    color: { legend: true, scheme: 'observable10' },
    marks: [
      Plot.ruleY([0]),
      Plot.lineY(points, { x: 'x', y: 'value', stroke: 'series', strokeWidth: 2 }),
      Plot.dot(points, { x: 'x', y: 'value', fill: 'series', r: 3, title: (point: SeriesPoint) => `${point.series}, ${point.x}: ${(point.value * 100).toFixed(1)}%` }),
    ],
  });
}

/** Counts stacked per x position (e.g. outcomes per day), values in each bar's title. */
export function stackedBars(points: SeriesPoint[], options: { title: string; xLabel: string; seriesOrder: string[]; colors: string[] }): string {
  const order = [...new Set(points.map((point) => point.x))];
  return renderPlot({
    title: options.title,
    width: 760,
    height: 280,
    marginLeft: 60,
    marginBottom: 50,
    x: { type: 'band', domain: order, label: options.xLabel, tickRotate: order.length > 10 ? -40 : 0 },
    y: { grid: true, label: 'questions', tickFormat: '~s' },
    color: { legend: true, domain: options.seriesOrder, range: options.colors },
    marks: [
      Plot.barY(points, { x: 'x', y: 'value', fill: 'series', order: options.seriesOrder, title: (point: SeriesPoint) => `${point.series}, ${point.x}: ${point.value.toLocaleString('en')}` }),
      Plot.ruleY([0]),
    ],
  });
}

/** One cell of a heatmap: a rate (0–1) at row × column, with how many questions it stands on. */
export interface HeatCell {
  row: string;
  column: string;
  facet: string;
  rate: number;
  questions: number;
}

/** A rate per row × column (e.g. abstention per intent × language), one panel per facet (e.g. model version). */
export function rateHeatmap(cells: HeatCell[], options: { title: string; rowLabel: string; columnLabel: string; facetLabel: string; legend: string }): string {
  const facets = [...new Set(cells.map((cell) => cell.facet))].sort();
  const rows = [...new Set(cells.map((cell) => cell.row))].sort();
  const columns = [...new Set(cells.map((cell) => cell.column))].sort();
  return renderPlot({
    title: options.title,
    width: Math.max(420, 140 + facets.length * (columns.length * 46 + 30)),
    height: 60 + rows.length * 26,
    marginLeft: 150,
    marginTop: 40,
    padding: 0.05,
    fx: { label: options.facetLabel, domain: facets },
    x: { label: options.columnLabel, domain: columns, axis: 'top' },
    y: { label: options.rowLabel, domain: rows, labelAnchor: 'top' },
    // Five bands: a continuous ramp legend would need a canvas, which a server-side DOM has not.
    color: { type: 'quantize', n: 5, domain: [0, 1], scheme: 'oranges', legend: true, label: options.legend, tickFormat: '.0%' },
    marks: [
      Plot.cell(cells, { fx: 'facet', x: 'column', y: 'row', fill: 'rate', inset: 0.5, title: (cell: HeatCell) => `${cell.row} × ${cell.column} (${cell.facet}): ${(cell.rate * 100).toFixed(1)}% of ${cell.questions.toLocaleString('en')}` }),
      Plot.text(cells, { fx: 'facet', x: 'column', y: 'row', text: (cell: HeatCell) => `${Math.round(cell.rate * 100)}`, fill: (cell: HeatCell) => (cell.rate > 0.6 ? 'white' : 'black'), fontSize: 10 }),
    ],
  });
}

/** Horizontal bars of counts per category (e.g. abstentions by reason). */
export function countBars(bars: { label: string; value: number }[], options: { title: string; xLabel: string; color?: string }): string {
  return renderPlot({
    title: options.title,
    width: 760,
    height: 40 + bars.length * 24,
    marginLeft: 170,
    x: { grid: true, label: options.xLabel, tickFormat: '~s' },
    y: { label: null, domain: bars.map((bar) => bar.label) },
    marks: [
      Plot.barX(bars, { x: 'value', y: 'label', fill: options.color ?? '#4269d0', title: (bar: { label: string; value: number }) => `${bar.label}: ${bar.value.toLocaleString('en')}` }),
      Plot.ruleX([0]),
    ],
  });
}
