/**
 * The charts of the log report (`allina report --html`), drawn with the same renderer as the
 * evaluation report (`renderVegaLite` in charts.ts): one charting library, one look. Each mark
 * carries a description (written into the SVG as its aria-label) with the exact value.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLite } from './charts.js';

/** One value of a series at one x position (a period, a category). */
export interface SeriesPoint {
  x: string;
  series: string;
  value: number;
}

/** A rate per row × column, in one facet (e.g. abstention per intent × language, per model version). */
export interface HeatCell {
  row: string;
  column: string;
  facet: string;
  rate: number;
  questions: number;
}

const percentText = (field: string) => `format(datum.${field} * 100, '.1f') + '%'`;

/** Rates (0–1) over ordered x positions, one line per series. */
export function rateLines(points: SeriesPoint[], options: { title: string; xLabel: string }): Promise<string> {
  const order = [...new Set(points.map((point) => point.x))];
  return renderVegaLite({
    width: 760,
    height: 260,
    data: { values: points },
    transform: [{ calculate: `datum.series + ', ' + datum.x + ': ' + ${percentText('value')}`, as: 'label' }],
    mark: { type: 'line', point: true, tooltip: false },
    encoding: {
      x: { field: 'x', type: 'ordinal', sort: order, title: options.xLabel, axis: { labelAngle: order.length > 10 ? -40 : 0 } },
      y: { field: 'value', type: 'quantitative', title: '%', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
      color: { field: 'series', type: 'nominal', title: null },
      description: { field: 'label' },
    },
  } as TopLevelSpec, options.title);
}

/** Counts per x position, stacked by series in `seriesOrder`, with the given colours. */
export function stackedBars(points: SeriesPoint[], options: { title: string; xLabel: string; seriesOrder: string[]; colors: string[] }): Promise<string> {
  const order = [...new Set(points.map((point) => point.x))];
  return renderVegaLite({
    width: 760,
    height: 260,
    data: { values: points.map((point) => ({ ...point, rank: options.seriesOrder.indexOf(point.series) })) },
    transform: [{ calculate: "datum.series + ', ' + datum.x + ': ' + format(datum.value, ',')", as: 'label' }],
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'x', type: 'ordinal', sort: order, title: options.xLabel, axis: { labelAngle: order.length > 10 ? -40 : 0 } },
      y: { field: 'value', type: 'quantitative', title: 'questions', stack: 'zero' },
      color: { field: 'series', type: 'nominal', title: null, sort: options.seriesOrder, scale: { domain: options.seriesOrder, range: options.colors } },
      order: { field: 'rank', type: 'quantitative' },
      description: { field: 'label' },
    },
  } as TopLevelSpec, options.title);
}

/** A rate per row × column as a heat-map, one panel per facet, the rate printed in each cell. */
export function rateHeatmap(cells: HeatCell[], options: { title: string; rowLabel: string; columnLabel: string; facetLabel: string; legend: string }): Promise<string> {
  return renderVegaLite({
    data: { values: cells },
    transform: [
      { calculate: `datum.row + ' × ' + datum.column + ' (' + datum.facet + '): ' + ${percentText('rate')} + ' of ' + format(datum.questions, ',')`, as: 'label' },
      { calculate: 'round(datum.rate * 100)', as: 'shown' },
    ],
    facet: { column: { field: 'facet', type: 'nominal', title: options.facetLabel } },
    spec: {
      width: { step: 36 },
      height: { step: 20 },
      layer: [
        { mark: { type: 'rect', tooltip: false }, encoding: { color: { field: 'rate', type: 'quantitative', title: options.legend, scale: { domain: [0, 1], scheme: 'blues' }, legend: { format: '.0%' } }, description: { field: 'label' } } },
        { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'shown', type: 'quantitative' }, color: { condition: { test: 'datum.rate > 0.6', value: 'white' }, value: 'black' } } },
      ],
      encoding: {
        x: { field: 'column', type: 'nominal', title: options.columnLabel },
        y: { field: 'row', type: 'nominal', title: options.rowLabel },
      },
    },
  } as TopLevelSpec, options.title);
}

/** Horizontal bars of counts, largest first. */
export function countBars(bars: { label: string; value: number }[], options: { title: string; xLabel: string; color?: string }): Promise<string> {
  return renderVegaLite({
    width: 500,
    height: { step: 22 },
    data: { values: bars },
    transform: [{ calculate: "datum.label + ': ' + format(datum.value, ',')", as: 'text' }],
    mark: { type: 'bar', tooltip: false, color: options.color ?? '#4e79a7' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: '-x', title: null },
      x: { field: 'value', type: 'quantitative', title: options.xLabel },
      description: { field: 'text' },
    },
  } as TopLevelSpec, options.title);
}
