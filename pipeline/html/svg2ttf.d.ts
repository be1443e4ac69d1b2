/** Types of `svg2ttf` (the package ships none): an SVG font turned into TrueType bytes. */
declare module 'svg2ttf' {
  interface Svg2ttfOptions {
    copyright?: string;
    description?: string;
    /** Creation time in seconds since 1970; the default is now. */
    ts?: number;
    url?: string;
    version?: string;
  }
  export default function svg2ttf(svgFont: string, options?: Svg2ttfOptions): { buffer: Uint8Array };
}
