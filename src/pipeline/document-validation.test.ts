/**
 * The document schema under the interpreting validator (`compileSchema`) agrees with ajv on the
 * examples and hundreds of mutations of them (same errors, same order).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agree, mutations } from '../modules/json-schema.testkit';
import { pipelineDocumentSchema } from './document-schema';

const root = join(import.meta.dirname, '../..');

describe('compileSchema agrees with ajv', () => {
  it('on the document schema, for the examples and their mutations', () => {
    const docs = readdirSync(join(root, 'examples'))
      .filter((f) => f.endsWith('.quiver.json'))
      .map((f) => JSON.parse(readFileSync(join(root, 'examples', f), 'utf8')) as unknown);
    expect(docs.length).toBeGreaterThan(0);
    expect(agree(pipelineDocumentSchema, docs.flatMap(mutations))).toBeGreaterThan(500);
  });
});
