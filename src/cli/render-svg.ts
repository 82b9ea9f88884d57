/**
 * Graphviz DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no `dot` binary, no system package. The
 * module (about a megabyte) is loaded on the first call only, so the other formats and commands do not pay for it.
 */
import type * as Viz from '@viz-js/viz' with { 'resolution-mode': 'require' };

/** The SVG document Graphviz lays out for `dot`. */
export async function dotToSvg(dot: string): Promise<string> {
  // Its CommonJS build, required here and not at the top: loaded on first use, under tsx, jest and dist alike.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const viz = await (require('@viz-js/viz') as typeof Viz).instance();
  return viz.renderString(dot, { format: 'svg' }).trimEnd(); // the caller ends the line, as for the other formats
}
