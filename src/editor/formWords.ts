/**
 * What the parameters form (@rjsf/core) says: list items labelled `Sort key 1` (rjsf's own
 * label would be `Sort keys-1`), an empty text item shown as "(empty)" rather than a blank box,
 * and each problem of the step's params at its field, once, in the words the pipeline's
 * validator chose (src/pipeline/field-words.ts). The form does not validate by itself: its
 * errors are the pipeline's issues, so the form, the node badge and the Problems list agree
 * whatever JSON Schema validator the pipeline uses.
 */
import type { ErrorSchema, UiSchema } from '@rjsf/utils';
import { itemLabel } from '../pipeline/field-words';
import type { ValidationIssue } from '../pipeline/validate';

interface ItemSchema {
  type?: string;
  minLength?: number;
  enum?: unknown[];
}

/**
 * The uiSchema of a list titled `title`: `itemUi` for each item plus its label; a text item
 * that may be empty gets a placeholder so an empty value does not look like a missing field.
 */
export function listUi(title: string, items: ItemSchema, itemUi: UiSchema = {}): UiSchema {
  const mayBeEmpty = items.type === 'string' && !items.enum && (items.minLength ?? 0) === 0;
  return {
    items: (_item: unknown, index: number): UiSchema => ({
      ...itemUi,
      'ui:title': itemLabel(title, index),
      ...(mayBeEmpty ? { 'ui:placeholder': '(empty)' } : {}),
    }),
  };
}

/** Unescape one RFC 6901 token. */
function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * The step's param issues as rjsf `extraErrors`, each at the field its pointer names; issues
 * at fields that show their own errors (`selfReporting`, e.g. the expression editor) are left
 * out, as are issues that are not about a param (shown with the step instead).
 */
export function paramErrorSchema(
  issues: readonly ValidationIssue[],
  selfReporting: ReadonlySet<string>,
): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    if (issue.field === '' ? !isParamIssue(issue) : selfReporting.has(issue.field)) continue;
    let node = root;
    for (const raw of issue.field === '' ? [] : issue.field.slice(1).split('/')) {
      const token = unescapeToken(raw);
      node = (node[token] ??= {}) as Record<string, unknown>;
    }
    const errors = ((node.__errors as string[] | undefined) ??= []);
    if (!errors.includes(issue.detail)) errors.push(issue.detail);
  }
  return root as ErrorSchema;
}

/** An issue about the params object as a whole (its message names `params`). */
function isParamIssue(issue: ValidationIssue): boolean {
  return issue.field === '' && /: params: /.test(issue.message);
}

/** Issues shown with the step rather than at a field: connections, module, cycles. */
export function stepLevelIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.filter((i) => i.field === '' && !isParamIssue(i));
}
