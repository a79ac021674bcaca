import { existsSync } from 'node:fs';
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

/** The plots' font (DejaVu Sans, Debian's default sans); scanning every system font costs more than the render. */
const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];
let fontFiles: string[] | undefined;

/** SVG → PNG with resvg at twice the SVG's size. */
export async function renderPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  fontFiles ??= FONT_FILES.filter((f) => existsSync(f));
  const font = fontFiles.length ? { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } : { loadSystemFonts: true };
  const r = new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font });
  return r.render().asPng();
}
