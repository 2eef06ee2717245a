import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { barChart, heatmap, histogram, lineChart, renderVegaLite } from '../../src/report/charts.js';

/** Items (paths, texts) drawn by each data mark group of a Vega SVG, by mark type. */
function markItems(svg: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of svg.matchAll(/<g class="mark-(\w+) role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)) {
    const items = (match[2].match(/<(path|text|line|rect|circle)\b/g) ?? []).length;
    counts[match[1]] = (counts[match[1]] ?? 0) + items;
  }
  return counts;
}

describe('charts (Vega-Lite rendered to inline SVG)', () => {
  it('draws one bar per datum, grouped by series', async () => {
    const svg = await barChart([{ category: 'pl', value: 0.9, series: 'a' }, { category: 'pl', value: 0.8, series: 'b' }, { category: 'cs', value: 0.7, series: 'a' }], { title: 'bars <&>' });
    expect(svg).toMatch(/^<svg role="img" aria-label="bars &lt;&amp;>" /);
    expect(markItems(svg).rect).toBe(3);
  });

  it('draws lines with their points, a marker with its label and the reference diagonal', async () => {
    const svg = await lineChart([{ x: 0, y: 0.1, series: 'm' }, { x: 0.5, y: 0.4, series: 'm' }, { x: 1, y: 0.9, series: 'm' }], { title: 'line', markers: [{ x: 0.5, y: 0.4, label: 'threshold 0.67' }], diagonal: true });
    const items = markItems(svg);
    expect(items.line).toBe(2); // the curve and the diagonal
    expect(items.symbol).toBe(4); // three points and the marker
    expect(svg).toContain('threshold 0.67');
  });

  it('draws every heat-map cell with its label', async () => {
    const rows = ['a', 'b', 'c'];
    const svg = await heatmap(rows.flatMap((row) => rows.map((column) => ({ row, column, value: row === column ? 1 : 0, label: row === column ? '7' : '' }))), { title: 'heat', rows, columns: rows });
    expect(markItems(svg).rect).toBe(9);
    expect(svg.match(/>7</g)).toHaveLength(3);
  });

  it('bins values into one panel per series', async () => {
    const svg = await histogram([{ value: 0.91, series: 'right' }, { value: 0.93, series: 'right' }, { value: 0.2, series: 'wrong' }], { title: 'hist', extent: [0, 1], step: 0.1, seriesOrder: ['right', 'wrong'] });
    expect(markItems(svg).rect).toBe(2); // 0.9–1.0 (two values) and 0.2–0.3
    expect(svg).toContain('>right<');
    expect(svg).toContain('>wrong<');
  });

  it('gives every chart its own element ids, so charts can share a page', async () => {
    const spec = { data: { values: [{ a: 'x', b: 1 }] }, mark: { type: 'bar', clip: true }, encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } } as const;
    const ids = (svg: string) => [...svg.matchAll(/\bid="([^"]+)"/g)].map((match) => match[1]);
    const [first, second] = [await renderVegaLite(spec, 'one'), await renderVegaLite(spec, 'two')];
    expect(ids(first).length).toBeGreaterThan(0);
    expect(ids(first).filter((id) => ids(second).includes(id))).toEqual([]);
    for (const svg of [first, second]) for (const match of svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids(svg)).toContain(match[1]);
  });

  it('never loads data from a URL', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      response.end('[{"a":"x","b":1}]');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data.json`;
      const svg = await renderVegaLite({ data: { url }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } }, 'remote');
      expect(requests).toBe(0);
      expect(markItems(svg).rect ?? 0).toBe(0);
    } finally {
      server.close();
    }
  });
});
