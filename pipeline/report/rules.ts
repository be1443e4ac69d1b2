/**
 * The closed catalogue of diagnostics. Every problem Annals reports has a permanent rule id listed here,
 * a default severity and a fix hint. Rule ids never change meaning; a retired rule is kept, not reused.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Rule {
  /** Severity used unless the reporter overrides it (e.g. `--release` turns warnings into errors). */
  severity: Severity;
  /** What the editor can do about it. Shown under the message. */
  hint: string;
}

export const rules = {
  // ── YAML and configuration ──────────────────────────────────────────────────────────────────
  'yaml-syntax': { severity: 'error', hint: 'Fix the YAML syntax at this position (indentation, a missing colon or quote).' },
  'yaml-aliases': { severity: 'error', hint: 'Write the values out, or use fewer aliases (`*name`): an alias may repeat a block, but aliases of aliases multiply and are refused past 100 copies.' },
  'config-unknown-key': { severity: 'warning', hint: 'This key means nothing to Annals and is ignored; the keys of book.yaml are listed in docs/book-yaml.md.' },
  'config-schema': { severity: 'error', hint: 'Compare the value with the format described in docs/book-yaml.md.' },
  'front-matter-schema': { severity: 'error', hint: 'Chapter front matter needs at least `title:`; see docs/writing-chapters.md.' },
  'book-not-found': { severity: 'error', hint: 'Run `annals build` without a book to build all, or use a folder name under manuscripts/.' },
  'edition-not-found': { severity: 'error', hint: 'Use one of the edition ids listed under `editions:` in book.yaml.' },
  'file-outside-project': { severity: 'error', hint: 'A build reads only files inside the project folder (also through symbolic links): copy the file into the book folder (or the layout into templates/) and name it by a relative path.' },
  'template-not-found': { severity: 'error', hint: 'Set `template:` in book.yaml to a folder under templates/ (report or yearbook).' },
  'template-slot-missing': { severity: 'error', hint: 'Keep every {{…}} slot of templates/base/print.html in your own print.html (copy it and change the rest), or remove your print.html to use the base one.' },

  // ── Manuscript structure ────────────────────────────────────────────────────────────────────
  'chapter-missing': { severity: 'error', hint: 'Create the file, or remove it from `chapters:` in book.yaml.' },
  'chapter-unlisted': { severity: 'warning', hint: 'Add the file to `chapters:` in book.yaml, or move it out of the edition folder.' },
  'chapter-name': { severity: 'error', hint: 'Name chapter files NN-slug.md, e.g. 03-digital-economy.md.' },

  // ── Markdown ────────────────────────────────────────────────────────────────────────────────
  'unknown-directive': { severity: 'error', hint: 'Use one of the directives listed in docs/directives.md, or escape the colon (\\:) for literal text.' },
  'directive-unclosed': { severity: 'error', hint: 'Close the block with a line of colons, as many as opened it (`:::`), where its content ends.' },
  'directive-attribute': { severity: 'error', hint: 'Check the directive\'s attributes against docs/directives.md.' },
  'invalid-text': { severity: 'error', hint: 'Save the chapter as UTF-8 (most editors: "Save with encoding" → UTF-8) and delete the stray byte; GBK/GB18030 files must be converted (e.g. `iconv -f GB18030 -t UTF-8`).' },
  'nesting-too-deep': { severity: 'error', hint: 'Block quotes and lists may nest 32 levels; flatten the structure (a table, or sections with headings, usually reads better).' },
  'raw-html-removed': { severity: 'warning', hint: 'Raw HTML keeps a safe subset (docs/writing-chapters.md, "Raw HTML"): write the content in Markdown or with a directive, or leave the tag or attribute out.' },
  'unsafe-url': { severity: 'warning', hint: 'A javascript:, vbscript: or data: (HTML/SVG) URL would run code in a reader\'s browser; link to an http(s) address, a chapter or a heading instead.' },
  'remote-image': { severity: 'warning', hint: 'Copy the image into the book\'s images/ folder and refer to it by a relative path; or set `remoteImages: true` in book.yaml to keep remote images in the site (the PDF never loads them).' },
  'image-outside': { severity: 'error', hint: 'Copy the image into the book\'s images/ folder; a chapter may not read files outside its book folder (through `..` or a symbolic link).' },
  'undefined-footnote': { severity: 'warning', hint: 'Add the footnote\'s definition on its own line (`[^1]: 注释文字`), or correct the label.' },
  'empty-link': { severity: 'warning', hint: 'Give the link a target — [text](03-chapter.md#id) or [text](https://…) — or write the text without brackets.' },
  'missing-image': { severity: 'error', hint: 'Put the image under the book\'s images/ folder, or correct the path.' },
  'broken-link': { severity: 'error', hint: 'Link to an existing chapter file or heading id; ids are listed in the built TOC.' },
  'duplicate-id': { severity: 'error', hint: 'Give one of the headings an explicit id with {#another-id}.' },
  'math-syntax': { severity: 'error', hint: 'Fix the LaTeX at this position (KaTeX syntax: https://katex.org/docs/supported); a literal dollar sign is written \\$.' },
  'typed-heading-number': { severity: 'info', hint: 'Headings are numbered by the book (一、/（一）or 2.1); delete the typed numbers to use them, or keep them typed in every heading of the chapter.' },
  'heading-level': { severity: 'warning', hint: 'Chapters start with their front-matter title; use ## for the first level of sections.' },
  'table-cells': { severity: 'warning', hint: 'A | inside a cell (in `code` too) starts a new cell: write it as \\|. Or add the missing column to the header row.' },

  // ── Scholarly apparatus: cross-references, citations, index (see docs/directives.md) ─────────
  'unknown-label': { severity: 'error', hint: 'Use the id of a figure, table, box, section, chapter or entry of this edition ({#id} on it).' },
  'ref-label-repeated': { severity: 'warning', hint: 'A :ref prints the label word with the number (专栏1-1, Table 2.1); do not write the word before it.' },
  'unreferenced-label': { severity: 'warning', hint: 'Refer to it in the text with :ref[id], or remove the {#id} if nothing should point at it.' },
  'unknown-citation': { severity: 'error', hint: 'Use a key (`id:`) of the book\'s bibliography file, or add the entry there.' },
  'pandoc-citation': { severity: 'warning', hint: 'Citations are written :cite[key] (docs/directives.md), with locator="45" for a page; a Pandoc [@key] is printed as plain text.' },
  'bibliography-entry': { severity: 'error', hint: 'Each entry needs an `id`, a CSL `type` (book, article-journal, report, webpage, standard …) and a `title`; see docs/book-yaml.md.' },
  'bibliography-style': { severity: 'error', hint: '`bibliography.style` in book.yaml names a CSL file in templates/csl/ (without `.csl`); it must exist and be valid CSL, with its locale files (locales-zh-CN.xml, locales-en-US.xml) beside it.' },
  'bibliography-file': { severity: 'error', hint: 'Create the file named by `bibliography.file` in book.yaml (CSL-YAML, CSL-JSON or BibTeX), or fix its syntax.' },
  'index-term': { severity: 'error', hint: 'Write :idx[shown text], :idx[shown]{term="…" sub="…" sort="…"} or :idx{term="…"}.' },

  // ── Yearbook data: chronicle and statistics tables ───────────────────────────────────────────
  'chronicle-data': { severity: 'error', hint: 'Events are `- date: 2025-03-05` (or 2025-03 when the day is unknown) with `text:` and optional `terms: […]`.' },
  'chronicle-date': { severity: 'warning', hint: 'The chronicle\'s `year:` and the event dates should agree; correct the date or the year.' },
  'stats-data': { severity: 'error', hint: 'Compare the table with the format in docs/directives.md (`tables: - id, title, unit, source, columns, rows`).' },
  'data-file': { severity: 'error', hint: 'Give `src` relative to the book folder, e.g. src="data/chronicle.yaml".' },

  // ── Indicators (frameworks, data, index directives; see docs/indicators.md) ─────────────────
  'indicator-schema': { severity: 'error', hint: 'Compare the value with the formats in docs/indicators.md (framework.yaml and data files).' },
  'indicator-duplicate-id': { severity: 'error', hint: 'Ids of entities, groups, tree nodes, tier levels and data series must be unique; rename one of them.' },
  'indicator-weights': { severity: 'error', hint: 'Weights of the children of one node must sum to 1 (within 1e-6); adjust them.' },
  'indicator-unknown-entity': { severity: 'error', hint: 'Use an entity id listed under `entities:` in framework.yaml (ISO3 code or administrative code).' },
  'indicator-unknown-group': { severity: 'error', hint: 'Use a group id listed under `groups:` in framework.yaml.' },
  'indicator-unknown-series': { severity: 'error', hint: 'Add the series to a file under the framework\'s data/ folder, or set `series:` to an existing series id.' },
  'indicator-unknown-node': { severity: 'error', hint: 'Use `composite` or the id of a dimension or indicator in the framework tree.' },
  'indicator-denominator': { severity: 'error', hint: 'A per-capita transform needs its `denominator:` series in the data, with a non-zero value for every entity.' },
  'indicator-value': { severity: 'error', hint: 'Values are plain numbers (no units, no thousands separators) within the series\' `range:`; leave a value out or write null when it is missing.' },
  'indicator-missing-value': { severity: 'error', hint: 'Add the value, or change the framework\'s `missing:` policy (impute with a named method, or drop the entity).' },
  'indicator-imputed': { severity: 'warning', hint: 'Imputed values are marked in tables; add the observed value to the data when it is published.' },
  'indicator-fallback-year': { severity: 'info', hint: 'The latest available earlier year was used, as the framework\'s `missing.lookback` allows.' },
  'indicator-entity-dropped': { severity: 'warning', hint: 'The entity is left out of this year\'s ranking under the `drop` policy; add the missing value to rank it.' },
  'indicator-unknown-framework': { severity: 'error', hint: 'Use a framework folder under indicators/ and an edition year it has (indicators/<framework>/<year>/framework.yaml).' },
  'indicator-tiers': { severity: 'error', hint: 'List threshold tiers highest first, each `min` below the one before; only the last level has no `min`.' },
  'indicator-empty-year': { severity: 'error', hint: 'The data has no observation at all in this year: rank an earlier year (`years.current` / `years.previous`) or add the year\'s data.' },
  'indicator-no-data': { severity: 'error', hint: 'The entity has no value of its own (observed or carried forward) for any indicator of the year; add its data or remove it from `entities:`.' },
  'indicator-coverage': { severity: 'warning', hint: 'The entity\'s share of indicators with its own data is under `coverage.min`; it is not ranked. Add its data, or lower the threshold with a reason in the methodology notes.' },
  'indicator-uncertainty': { severity: 'warning', hint: 'An alternative of `uncertainty:` that equals the framework\'s own choice, or has nothing to replace, varies nothing; remove it or change the framework.' },
  'indicator-map': { severity: 'warning', hint: 'Check `map.geometry` and `map.idProperty` in framework.yaml; entities without a map feature are not shown.' },

  // ── Editions and release (see docs/editions.md) ──────────────────────────────────────────────
  'people-schema': { severity: 'error', hint: 'people.yaml maps an id to `name: {zh: …, en: …}` and an optional `affiliation:` (docs/book-yaml.md).' },
  'person-unknown': { severity: 'error', hint: 'Name authors by their id in people.yaml.' },
  'byline-mismatch': { severity: 'error', hint: 'Every edition names the same people, in the same order, by id from people.yaml.' },
  'hant-term-two-ways': { severity: 'warning', hint: 'Add the word to the book\'s glossary (opencc-overrides.yaml) with the form the edition uses, or mark the entry that keeps another form as a name.' },
  'opencc-overrides': { severity: 'error', hint: 'opencc-overrides.yaml maps a Simplified term to its Traditional form: `网信: 網信`, or per target `软件: {twp: 軟體, hk: 軟件}`.' },
  'edition-mismatch': { severity: 'warning', hint: 'Editions of one book carry the same chapters, figures, tables, boxes, entries and indicator references; add the missing one or remove the extra one.' },
  'release-epoch': { severity: 'error', hint: 'Set SOURCE_DATE_EPOCH (seconds since 1970), or build inside the git checkout so it can be taken from the last commit.' },
  // ── Print production (see docs/print-production.md) ─────────────────────────────────────────
  'release-imprint-missing': { severity: 'error', hint: 'Fill in the field under `imprint:` of this edition in book.yaml (docs/print-production.md lists what each language needs).' },
  'release-sample': { severity: 'error', hint: 'A release prints real data only: replace the placeholder or demo text, and remove `sample: true` / `draft: true` once the data are final.' },
  'map-approval': { severity: 'warning', hint: 'Give the map its approval number (审图号): `approval="GS(2024)1234号"` on the ::chart directive, `press.mapApproval` in book.yaml or `map.approval` in the framework. A release refuses a map without one.' },
  'press-ghostscript': { severity: 'error', hint: 'Install Ghostscript (Debian: apt-get install ghostscript; scripts/setup.sh does it), or build without --release / --press.' },
  'press-bleed': { severity: 'warning', hint: 'Something on these pages reaches the page edge, but interior pages are printed at the trimmed size, so it has no bleed and trimming may leave a white sliver. Keep it inside the margins, or leave it for a full-bleed feature (docs/print-production.md, Known limits).' },
  'press-check': { severity: 'error', hint: 'The press PDF failed its preflight; see the message for the page and what was found (docs/print-production.md).' },

  // ── Import of Word chapters and Excel data (see docs/import.md) ───────────────────────────────
  'import-layout': { severity: 'error', hint: 'Give the sheet a header row: the entity column and years across (地区 | 2022 | 2023), or the columns 地区 | 年份 | 数值 (long layout); choose the sheet with --sheet.' },
  'import-metadata': { severity: 'error', hint: 'Give the series its unit and source: lines 单位：… and 数据来源：… above the table, or --unit and --source (an existing series keeps its own).' },
  'import-unknown-entity': { severity: 'error', hint: 'Use an entity\'s name or code as listed under `entities:` in framework.yaml (Chinese or English name, ISO code, administrative code).' },
  'import-ambiguous-entity': { severity: 'error', hint: 'Write the entity\'s code (CHN, 110000) instead of a name that fits more than one entity.' },
  'import-not-a-number': { severity: 'error', hint: 'Value cells hold plain numbers (no units, words or thousands separators); leave a missing value empty.' },
  'import-footnote-marker': { severity: 'error', hint: 'Remove the footnote marker from the cell (keep the footnote as a note of the series, `note:` in the data YAML) and import again.' },
  'import-missing-marker': { severity: 'warning', hint: 'The value is left out of the data (missing); leave the cell empty to say so without a warning.' },
  'import-number-as-text': { severity: 'warning', hint: 'The cell holds the number as text; format it as a number in the workbook to silence this.' },
  'import-duplicate': { severity: 'error', hint: 'Each entity and year may be given once; delete or correct one of the two cells.' },
  'import-series-elsewhere': { severity: 'error', hint: 'The series is defined in another data file; import into that file\'s series or remove it there first.' },
  'import-unmappable': { severity: 'warning', hint: 'Word content Annals cannot turn into Markdown (text box, equation, SmartArt, tracked change); redo it by hand in the chapter, or accept the changes in Word and import again.' },
  'import-comment': { severity: 'info', hint: 'A Word comment for the editor; resolve it, then delete the HTML comment from the chapter if it was kept.' },
  'import-file': { severity: 'error', hint: 'Check the path and that the file is a .docx or .xlsx saved by Word or Excel (not an older .doc or .xls).' },

  // ── EPUB (see docs/editions.md) ──────────────────────────────────────────────────────────────
  'epub-failed': { severity: 'error', hint: 'The EPUB could not be assembled (the message says why: an unreadable image or font). Build with --format html to go on without it, and report the message with the book.' },

  // ── PDF (see docs/pdf.md) ─────────────────────────────────────────────────────────────────────
  'pdf-browser-not-found': { severity: 'error', hint: 'Install Chromium (`sudo apt-get install chromium`, or `npx puppeteer browsers install chrome`), or set ANNALS_BROWSER to a Chromium/Chrome executable; `--format html` builds without a PDF.' },
  'svg-sanitized': { severity: 'warning', hint: 'SVG images may only draw: scripts, event handlers (on…), <foreignObject>, animations and references to other files or sites are removed before the image is published. Save the SVG without them (most editors have a plain-SVG export).' },
  'output-failed': { severity: 'error', hint: 'Annals could not write the output folder (the message says which path and why): make it writable, free some disk space, remove the file that is in the way, or choose another folder with --out. The previous output is left as it was.' },
  'pdf-wide-element': { severity: 'warning', hint: 'The element is wider than the page\'s text block, so it alone is printed smaller (docs/pdf.md, "Wide elements"). Split the table, shorten its headings or code lines, or accept the smaller type.' },
  'pdf-make-up': { severity: 'warning', hint: 'The page make-up pass (docs/pdf.md, "Page make-up") measured a page differently from the print, so a table continuation or a floated figure is not at the top of its page. Look at the page; report it with the book if it looks wrong.' },
  'pdf-browser-failed': { severity: 'error', hint: 'The browser named in the message did not start or did not answer. Check that it is a working Chromium or Chrome (run it with --version), or set ANNALS_BROWSER to one; `--format html` builds without a PDF.' },
  'pdf-print-failed': { severity: 'error', hint: 'Chromium could not print the book; the message says why. Open print.html in Chromium to look at it, or run again with --format html.' },
  'pdf-blocked-request': { severity: 'error', hint: 'While printing, only files of the build are loaded (no network): put the resource (image, font, stylesheet) in the book folder and refer to it by a relative path.' },
  'pdf-request-failed': { severity: 'error', hint: 'A file print.html refers to is missing from the build; check the path of the image or stylesheet.' },
  'pdf-page-error': { severity: 'warning', hint: 'A script in the page threw while printing; the message is the browser\'s.' },
  'pdf-console-error': { severity: 'warning', hint: 'The browser logged an error while printing; the message is the browser\'s.' },
  'pdf-page-target': { severity: 'error', hint: 'A page number is asked for an id that no element of the print edition has; correct the id, or give the element that id.' },
  'pdf-page-number-missing': { severity: 'warning', hint: 'The element is in the print edition, but the print wrote no destination for it (a pass before the print removed its id, or it is not displayed): its locator keeps the placeholder. Report it with the book; see docs/pdf.md, "Page numbers".' },
  'pdf-page-note-moved': { severity: 'warning', hint: 'The note pass and the print laid a page out differently (a keep or a float it did not foresee); the note is printed, on another page. See docs/pdf.md, "Page-bottom notes".' },
  'pdf-layout-unstable': { severity: 'error', hint: 'Filling in page numbers changed the layout of the front matter; keep page-number elements in a fixed-width box (see docs/pdf.md).' },
  'pdf-font-not-embedded': { severity: 'error', hint: 'Every font must be embedded; use the fonts declared in pipeline/fonts/fonts.ts (from npm) rather than system fonts.' },
  'pdf-font-type3': { severity: 'error', hint: 'A weight or style the text uses has no font file (Chromium synthesises it as a Type 3 font); add the face to fontSetFor() in pipeline/fonts/fonts.ts, or do not use that weight or style.' },
  'pdf-font-failed': { severity: 'error', hint: 'A font file the text needs could not be loaded, so its characters would fall back to another font. The fonts come from npm (@fontsource): reinstall them (`npm ci`) if a file in node_modules is missing or damaged.' },
  'pdf-font-unsettled': { severity: 'warning', hint: 'Every print asked for font slices that were not loaded yet, so some text may be set in the next font of its stack. Build again; if it stays, report it with the book (pipeline/pdf/font-loading.ts decides which slices to load).' },
  'pdf-font-sliced': { severity: 'warning', hint: 'A face has no full static font installed, so the PDF embeds it as many unicode-range slices under the slices\' names, which a printer\'s preflight rejects. Add the face\'s @expo-google-fonts package (same name as its @fontsource package) to package.json; see docs/pdf.md, Fonts.' },
  'glyph-missing': { severity: 'warning', hint: 'Add a font that has the character to fontSetFor() in pipeline/fonts/fonts.ts (an @fontsource package for its script), or replace it (a transliteration, or an image of the word).' },
  'pdf-font-undeclared': { severity: 'error', hint: 'Some characters are missing from the declared fonts and came from a system font; add a font that has them to fontSetFor() in pipeline/fonts/fonts.ts, or replace the characters.' },

  // ── The reviewers' site: search, compare, accessibility (see docs/site.md) ───────────────────
  'site-search-index': { severity: 'error', hint: 'Pagefind could not index the site; the message is Pagefind\'s. Reinstall it (`npm ci`: the `pagefind` package brings its binary for this platform) or build with --format pdf.' },
  'image-alt-missing': { severity: 'warning', hint: 'Describe the figure for readers who cannot see it: ![what it shows](path) or alt="…" on ::figure (WCAG 2.1, 1.1.1).' },
  'compare-failed': { severity: 'error', hint: 'The version to compare with could not be built: check the git ref (`git log`), or give a folder of Markdown with --compare-dir.' },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof rules;
