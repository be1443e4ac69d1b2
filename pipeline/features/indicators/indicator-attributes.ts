/**
 * What every indicator directive (`::ranking-table`, `::chart`, `:value`, `::methodology`) does with its
 * attributes: find the framework edition (`framework=widi year=2026`), a node (`dimension=…` /
 * `indicator=…`, default the composite) and entities (`entity=CHN`, `entities=CHN,USA`). Problems are
 * reported at the directive with a "did you mean"; the caller then prints a visible placeholder.
 */
import { closest } from '../../report/closest.ts';
import type { VFile } from 'vfile';
import type { BuildSession } from '../../base/build-session.ts';
import { report } from '../../report/diagnostics.ts';
import type { RuleId } from '../../report/rules.ts';
import type { FrameworkEntry, IndicatorStore } from '../../indicators/store.ts';
import type { IndexResult } from '../../indicators/model.ts';
import { nodeIds } from '../../indicators/present.ts';
import type { Directive } from '../../markdown/directive-utils.ts';

export interface Resolved {
  entry: FrameworkEntry;
  result: IndexResult;
}

export interface IndicatorDirectiveContext {
  store: IndicatorStore;
  /** The build's session: a framework's files join it the first time a directive uses the framework. */
  session: BuildSession;
}

/** `framework` and `year` → a computed framework, or undefined (reported). */
export function resolveFramework(ctx: IndicatorDirectiveContext, directive: Directive, file: VFile): Resolved | undefined {
  const attrs = directive.attributes ?? {};
  const id = attrs.framework;
  if (!id) {
    report(file, 'directive-attribute', `:${directive.name} needs \`framework\`, e.g. framework=widi`, directive);
    return undefined;
  }
  let year: number | undefined;
  if (attrs.year != null) {
    year = Number(attrs.year);
    if (!Number.isInteger(year)) {
      report(file, 'directive-attribute', `\`year\` of :${directive.name} must be an edition year such as 2026, not "${attrs.year}"`, directive);
      return undefined;
    }
  }
  const entry = ctx.store.get(id, year);
  if (!entry) {
    report(file, 'indicator-unknown-framework', `no indicator framework \`${id}\`${year != null ? ` in edition ${year}` : ''}`, directive);
    return undefined;
  }
  ctx.session.add(...entry.loaded.files);
  if (!entry.result) {
    report(file, 'indicator-unknown-framework', `framework \`${id}\` ${entry.ref.edition} has errors (reported in its files)`, directive, {
      hint: `Fix the problems reported in indicators/${id}/${entry.ref.edition}/.`,
    });
    return undefined;
  }
  return { entry, result: entry.result };
}

/** The node named by `dimension` or `indicator` (default `composite`), or undefined (reported). */
export function resolveNode(resolved: Resolved, directive: Directive, file: VFile): string | undefined {
  const attrs = directive.attributes ?? {};
  const id = attrs.dimension ?? attrs.indicator ?? 'composite';
  const known = nodeIds(resolved.result.framework);
  if (known.includes(id)) return id;
  report(file, 'indicator-unknown-node', `\`${id}\` is not a dimension or indicator of \`${resolved.result.framework.id}\``, directive, {
    hint: suggest(id, known),
  });
  return undefined;
}

/** Entity ids from `attribute` (comma- or space-separated), or undefined when one is unknown (reported). */
export function resolveEntities(resolved: Resolved, directive: Directive, file: VFile, attribute: 'entity' | 'entities' | 'highlight'): string[] | undefined {
  const raw = directive.attributes?.[attribute];
  if (raw == null || raw.trim() === '') return [];
  const ids = raw.split(/[\s,，、]+/).filter(Boolean);
  const known = resolved.result.framework.entities.map((e) => e.id);
  for (const id of ids) {
    if (!known.includes(id)) {
      report(file, 'indicator-unknown-entity', `unknown entity \`${id}\` in \`${attribute}\` of :${directive.name} (framework \`${resolved.result.framework.id}\`)`, directive, {
        hint: suggest(id, known),
      });
      return undefined;
    }
  }
  return ids;
}

/** A positive whole number from an attribute, or `fallback`; undefined when the text is not one (reported). */
export function intAttribute(directive: Directive, file: VFile, name: string, fallback?: number): number | undefined | null {
  const raw = directive.attributes?.[name];
  if (raw == null || raw === '') return fallback ?? null;
  const n = Number(raw);
  if (Number.isInteger(n) && n > 0) return n;
  report(file, 'directive-attribute', `\`${name}\` of :${directive.name} must be a positive whole number, not "${raw}"`, directive);
  return undefined;
}

/** Reports an attribute whose value is not one of `allowed`. */
export function choiceAttribute<T extends string>(directive: Directive, file: VFile, name: string, allowed: readonly T[], fallback: T, rule: RuleId = 'directive-attribute'): T | undefined {
  const raw = directive.attributes?.[name];
  if (raw == null || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  report(file, rule, `\`${name}="${raw}"\` of :${directive.name} is not one of ${allowed.join(', ')}`, directive, { hint: suggest(raw, allowed) });
  return undefined;
}

export function suggest(id: string, known: readonly string[]): string {
  const near = closest(id, known, { ignoreCase: true });
  if (near) return `Did you mean \`${near}\`?`;
  return known.length <= 12 ? `Use one of: ${known.join(', ')}.` : `See the framework.yaml of the framework for the ids.`;
}
