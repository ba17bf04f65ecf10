/**
 * Reading the bars out of an SVG that Vega rendered: each bar is a `<path>` with
 * aria-roledescription="bar" and a rectangle path `M x,y h w v h h -w Z`. Used by the tests
 * to compare bar heights with DuckDB's numbers instead of comparing pictures.
 */

/** One bar: its x-axis label (from Vega's aria-label, e.g. `weather: rain; count: 641`), size in px. */
export interface SvgBar {
  label: string;
  x: number;
  width: number;
  height: number;
}

const BAR =
  /aria-label="([^"]*)"[^>]*aria-roledescription="bar" d="M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)h/g;

/** The bars of `svg`, in document order; `label` is the aria-label's first value. */
export function svgBars(svg: string): SvgBar[] {
  return [...svg.matchAll(BAR)].map((m) => ({
    label: /^[^:]*: ([^;]*)/.exec(m[1]!)?.[1] ?? m[1]!,
    x: Number(m[2]),
    width: Number(m[4]),
    height: Number(m[5]),
  }));
}
