/** Types of `subset-font` (the package ships none): HarfBuzz subsetting of SFNT, WOFF or WOFF2 fonts. */
declare module 'subset-font' {
  interface SubsetFontOptions {
    /** Output format. Default: the input's. */
    targetFormat?: 'sfnt' | 'woff' | 'woff2';
    preserveNameIds?: number[];
    keepFeatures?: string[];
  }
  export default function subsetFont(font: Uint8Array, text: string, options?: SubsetFontOptions): Promise<Buffer>;
}
