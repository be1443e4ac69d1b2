/** The part of the `hyphen` package (CommonJS, no types of its own) that rehype-hyphenate.ts uses. */
declare module 'hyphen/en-us/index.js' {
  interface HyphenOptions {
    /** The character put at each break. Default: U+00AD soft hyphen. */
    hyphenChar?: string;
    /** Shorter words are left whole. Default: 5. */
    minWordLength?: number;
    /** Skip HTML tags in the text. Default: true. */
    html?: boolean;
    /** Words with their own breaks marked by "-". Default: none. */
    exceptions?: string[];
  }
  const enUs: { hyphenateSync(text: string, options?: HyphenOptions): string };
  export default enUs;
}
