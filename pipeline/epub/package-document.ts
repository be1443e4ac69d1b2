/**
 * The EPUB 3 package document (`package.opf`): metadata, manifest and spine. Only data in, XML out; the
 * order of manifest items is the order given (the caller lists them in a fixed order, so rebuilds match).
 */
import { toXml } from 'xast-util-to-xml';
import { x } from 'xastscript';

export interface ManifestItem {
  id: string;
  /** Path relative to the package document. */
  href: string;
  mediaType: string;
  /** EPUB manifest properties: nav, svg, mathml, cover-image … Default: none. */
  properties?: string[];
  /** Position in the reading order (spine); absent for resources that are not read in order. */
  spine?: 'linear' | 'auxiliary';
}

export interface PackageMetadata {
  /** The unique identifier: `urn:isbn:…` or `urn:uuid:…`. */
  identifier: string;
  title: string;
  subtitle?: string;
  lang: string;
  creators: readonly string[];
  publisher?: string;
  description?: string;
  subjects: readonly string[];
  /** Publication date (dc:date), e.g. the book's year. */
  date: string;
  /** dcterms:modified, `CCYY-MM-DDThh:mm:ssZ`. */
  modified: string;
}

export function packageDocument(meta: PackageMetadata, items: readonly ManifestItem[]): string {
  const cover = items.find((i) => i.properties?.includes('cover-image'));
  const ncx = items.find((i) => i.mediaType === 'application/x-dtbncx+xml');
  const metadata = x('metadata', { 'xmlns:dc': 'http://purl.org/dc/elements/1.1/' }, [
    x('dc:identifier', { id: 'pub-id' }, meta.identifier),
    x('dc:title', { id: 'title' }, meta.title),
    x('meta', { refines: '#title', property: 'title-type' }, 'main'),
    ...(meta.subtitle ? [x('dc:title', { id: 'subtitle' }, meta.subtitle), x('meta', { refines: '#subtitle', property: 'title-type' }, 'subtitle')] : []),
    x('dc:language', meta.lang),
    ...meta.creators.map((c) => x('dc:creator', c)),
    ...(meta.publisher ? [x('dc:publisher', meta.publisher)] : []),
    ...(meta.description ? [x('dc:description', meta.description)] : []),
    ...meta.subjects.map((s) => x('dc:subject', s)),
    x('dc:date', meta.date),
    x('meta', { property: 'dcterms:modified' }, meta.modified),
    // EPUB 2 reading systems find the cover this way.
    ...(cover ? [x('meta', { name: 'cover', content: cover.id })] : []),
  ]);
  const manifest = x(
    'manifest',
    items.map((i) => x('item', { id: i.id, href: i.href, 'media-type': i.mediaType, properties: i.properties?.length ? i.properties.join(' ') : undefined })),
  );
  const spine = x(
    'spine',
    { toc: ncx?.id },
    items.filter((i) => i.spine).map((i) => x('itemref', { idref: i.id, linear: i.spine === 'auxiliary' ? 'no' : undefined })),
  );
  const pkg = x('package', { xmlns: 'http://www.idpf.org/2007/opf', version: '3.0', 'unique-identifier': 'pub-id', 'xml:lang': meta.lang }, [metadata, manifest, spine]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(pkg, { closeEmptyElements: true })}\n`;
}

export interface NcxPoint {
  title: string;
  href: string;
  children: NcxPoint[];
}

/** The EPUB 2 table of contents (toc.ncx), for reading systems that do not read the navigation document. */
export function ncxDocument(meta: Pick<PackageMetadata, 'identifier' | 'title' | 'lang'>, points: readonly NcxPoint[]): string {
  let order = 0;
  let depth = 0;
  const point = (p: NcxPoint, level: number): ReturnType<typeof x> => {
    order += 1;
    depth = Math.max(depth, level);
    const id = `nav-${order}`;
    const playOrder = String(order);
    return x('navPoint', { id, playOrder }, [x('navLabel', [x('text', p.title)]), x('content', { src: p.href }), ...p.children.map((c) => point(c, level + 1))]);
  };
  const navMap = x('navMap', points.map((p) => point(p, 1)));
  const ncx = x('ncx', { xmlns: 'http://www.daisy.org/z3986/2005/ncx/', version: '2005-1', 'xml:lang': meta.lang }, [
    x('head', [
      x('meta', { name: 'dtb:uid', content: meta.identifier }),
      x('meta', { name: 'dtb:depth', content: String(depth) }),
      x('meta', { name: 'dtb:totalPageCount', content: '0' }),
      x('meta', { name: 'dtb:maxPageNumber', content: '0' }),
    ]),
    x('docTitle', [x('text', meta.title)]),
    navMap,
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(ncx, { closeEmptyElements: true })}\n`;
}
