/**
 * The example pipelines in examples/ are valid before they run, with every column reference
 * checked against the real schemas of their data (read here independently of the runtime:
 * apache-arrow for Arrow files, parquet-wasm for Parquet, the csv module for CSV) and, after a
 * SQL step, against the schema DuckDB-Wasm describes for its query (as the editor does).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { readSchema } from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSql } from '../runtime/sql/check';
import { columnDefinitions } from '../runtime/sql/column-definitions';
import type { DuckDBConnection } from '../runtime/sql/engine';
import { loadNodeSqlEngine } from '../runtime/sql/engine-node';
import { Reactor, STATUS } from '../../modules/sdk/reactor.testkit';
import { fromArrowSchema } from './arrow-schema';
import type { KnownSchemas } from './infer';
import { parsePipeline } from './serialize';
import type { TableSchema } from './table-schema';
import { builtinCatalog } from './test-catalog';
import type { PipelineDocument } from './types';
import { validatePipelineWithSchemas } from './validate';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = `${ROOT}examples/`;
const DATA = `${ROOT}node_modules/vega-datasets/data/`;
const catalog = builtinCatalog({ hostSteps: true });

function dataPath(uri: string): string {
  if (!uri.startsWith('sample:')) throw new Error(`examples use sample: URIs, not ${uri}`);
  return DATA + uri.slice('sample:'.length);
}

/** The schema the csv module (its committed v2 build, input pushed as one chunk) gives
 * `bytes` with `params`. */
function csvSchema(bytes: Uint8Array, params: Record<string, unknown>): TableSchema {
  const module = new WebAssembly.Module(readFileSync(`${ROOT}public/modules/csv.wasm`));
  const reactor = new Reactor(module);
  const statuses = [reactor.begin(params), reactor.push(0, bytes), reactor.finish()];
  if (statuses.includes(STATUS.failed)) throw new Error(`csv failed: ${reactor.stderr}`);
  return fromArrowSchema(tableFromIPC(reactor.output()).schema);
}

/** Schemas of the source (and csv) steps, read from the example's data files. */
function knownSchemasOf(doc: PipelineDocument): KnownSchemas {
  const known: Record<string, Record<string, TableSchema>> = {};
  for (const s of doc.steps.filter((x) => x.moduleId === 'source')) {
    const path = dataPath(s.params.uri as string);
    const bytes = new Uint8Array(readFileSync(path));
    if (path.endsWith('.arrow')) {
      known[s.id] = { out: fromArrowSchema(tableFromIPC(bytes).schema) };
    } else if (path.endsWith('.parquet')) {
      known[s.id] = {
        out: fromArrowSchema(tableFromIPC(readSchema(bytes).intoIPCStream()).schema),
      };
    } else {
      for (const e of doc.edges.filter((x) => x.from.step === s.id && x.from.port === 'bytes')) {
        const csvStep = doc.steps.find((x) => x.id === e.to.step)!;
        known[csvStep.id] = { out: csvSchema(bytes, csvStep.params) };
      }
    }
  }
  return known;
}

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.quiver.json'));

let sql: DuckDBConnection;
beforeAll(async () => {
  sql = (await loadNodeSqlEngine()).connect();
}, 60_000);
afterAll(() => sql.close());

/** `known` with the output of each SQL step whose inputs are known, described by DuckDB-Wasm. */
function withSqlSchemas(doc: PipelineDocument, known: KnownSchemas): KnownSchemas {
  for (;;) {
    const { schemas } = validatePipelineWithSchemas(doc, catalog, known);
    const next = doc.steps.find(
      (s) =>
        s.moduleId.startsWith('sql') &&
        known[s.id] === undefined &&
        Object.values(schemas.inputs[s.id] ?? {}).every((i) => i.known),
    );
    if (next === undefined) return known;
    const tables = Object.fromEntries(
      Object.entries(schemas.inputs[next.id]!).map(([port, info]) => [
        port,
        info.known ? columnDefinitions(info.schema) : '',
      ]),
    );
    const reply = checkSql(sql, { id: 0, query: String(next.params.query), tables });
    if (reply.type !== 'checked' || !reply.schema) throw new Error(JSON.stringify(reply));
    known = { ...known, [next.id]: { out: reply.schema } };
  }
}

describe('example pipelines', () => {
  it('include the three examples of the README', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'seattle-weather.quiver.json',
        'flights-delay-by-distance.quiver.json',
        'flights-by-origin.quiver.json',
      ]),
    );
  });

  it.each(files)('%s parses and validates with no issue against its real data', (file) => {
    const doc = parsePipeline(readFileSync(EXAMPLES + file, 'utf8'), { source: file });
    const known = withSqlSchemas(doc, knownSchemasOf(doc));
    expect(Object.keys(known).length).toBeGreaterThan(0);
    const { issues, schemas } = validatePipelineWithSchemas(doc, catalog, known);
    expect(issues).toEqual([]);
    // Schemas reach the last step (a chart's input: its table is known after a run), so every
    // column reference was really checked.
    const sinks = doc.steps.filter((s) => !doc.edges.some((e) => e.from.step === s.id));
    for (const s of sinks) {
      const reached =
        s.moduleId === 'chart' ? schemas.inputs[s.id]?.in : schemas.outputs[s.id]?.out;
      expect(reached?.known, s.id).toBe(true);
    }
  });

  it('notices a misspelt column in an example', () => {
    const text = readFileSync(`${EXAMPLES}seattle-weather.quiver.json`, 'utf8').replace(
      '"expression": "temp_max > 15"',
      '"expression": "temp_mx > 15"',
    );
    const doc = parsePipeline(text);
    const issues = validatePipelineWithSchemas(doc, catalog, knownSchemasOf(doc)).issues;
    expect(issues.map((i) => i.detail)).toEqual([
      expect.stringMatching(/unknown column "temp_mx".*did you mean "temp_max"/),
    ]);
  });
});
