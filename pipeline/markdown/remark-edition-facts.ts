/**
 * Records, per chapter, what the edition consistency check (pipeline/check/edition-consistency.ts)
 * compares between editions of a book: the labelled blocks (figures, tables, boxes, entries, with their
 * Markdown positions), the number of each kind of block, and the indicator references (`framework` and
 * `entity` of `:value`, `::ranking-table`, `::chart`). It runs on the Markdown as written — before any
 * directive renders — so what it sees does not depend on what the features' plugins do; which directives
 * are labelled blocks and which reference indicators, the features say (`roles`, features/feature.ts,
 * passed in by chapter/processor.ts). An indicator
 * reference is its framework, its entity (or entities) and its node (indicator or dimension). Stored on
 * `file.data.editionFacts`; the tree is not changed.
 */
import type { Image, Paragraph, Root } from 'mdast';
import type { Position } from 'unist';
import { visit } from '../base/visit.ts';
import type { VFile } from 'vfile';
import type { Directive } from './directive-utils.ts';

export interface FactLabel {
  kind: string;
  id: string;
  position?: Position;
}

export interface FactIndicatorRef {
  /** Directive name: value, ranking-table, chart. */
  directive: string;
  framework: string;
  /** `entity`, or the sorted ids of `entities`; empty when the directive names none. */
  entity: string;
  /** `indicator` or `dimension`; empty for the composite. */
  node: string;
  position?: Position;
}

export interface EditionFacts {
  /** Labelled blocks in document order. */
  labels: FactLabel[];
  /** Blocks of each kind, labelled or not (an image with a title counts as a figure). */
  counts: Record<string, number>;
  indicators: FactIndicatorRef[];
}

declare module 'vfile' {
  interface DataMap {
    /** What the edition consistency check compares (set by remarkEditionFacts). */
    editionFacts: EditionFacts;
  }
}

export interface EditionFactsOptions {
  /** Directives that are labelled, numbered blocks (the features' `roles.labelled`). Default: none. */
  labelled?: readonly string[];
  /** Directives that reference indicators (the features' `roles.indicatorReferences`). Default: none. */
  indicators?: readonly string[];
}

export function remarkEditionFacts(options: EditionFactsOptions = {}) {
  const labelled = new Set(options.labelled ?? []);
  const indicatorNames = new Set(options.indicators ?? []);
  return (tree: Root, file: VFile) => {
    const facts: EditionFacts = { labels: [], counts: {}, indicators: [] };
    const count = (kind: string) => (facts.counts[kind] = (facts.counts[kind] ?? 0) + 1);
    visit(tree, (node) => {
      if (node.type === 'paragraph') {
        const only = (node as Paragraph).children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
        if (only.length === 1 && only[0]!.type === 'image' && (only[0] as Image).title) count('figure');
        return;
      }
      if (node.type !== 'textDirective' && node.type !== 'leafDirective' && node.type !== 'containerDirective') return;
      const directive = node as Directive;
      const attributes = directive.attributes ?? {};
      if (directive.type !== 'textDirective' && labelled.has(directive.name)) {
        count(directive.name);
        if (attributes.id) facts.labels.push({ kind: directive.name, id: attributes.id, position: directive.position });
      }
      if (indicatorNames.has(directive.name)) {
        const entities = attributes.entity ?? (attributes.entities ?? '').split(',').map((e) => e.trim()).filter(Boolean).sort().join(',');
        const node = attributes.indicator ?? attributes.dimension ?? '';
        facts.indicators.push({ directive: directive.name, framework: attributes.framework ?? '', entity: entities, node, position: directive.position });
      }
    });
    file.data.editionFacts = facts;
  };
}
