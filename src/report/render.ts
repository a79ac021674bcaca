import type { VegaLiteSpec } from './plot-specs.js';

/**
 * Renders a Vega-Lite spec headlessly: vega-lite compiles it to Vega, a Vega View without a
 * renderer lays it out, and its SVG string renderer draws it (no canvas, no browser).
 * Loaded lazily: the rest of the CLI does not pay for importing vega.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG → PNG with resvg (system fonts, so text renders as in a browser). */
export async function renderPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return r.render().asPng();
}
