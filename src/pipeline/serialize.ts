/**
 * Reading and writing `.quiver.json` files. Reading goes: JSON syntax → format marker →
 * version (migrating older ones) → structure (JSON Schema) → integrity (unique ids, edges
 * between existing steps). Each stage fails with a {@link PipelineFormatError} that says where.
 */
import { pointerToPath, validateWith } from '../modules/ajv';
import { compileSchema } from '../modules/json-schema';
import { pipelineDocumentSchema } from './document-schema';
import { canvasItemsProblem } from './groups';
import { locateJsonError } from './json-error';
import {
  migrateDocument,
  pipelineMigrations,
  UnsupportedVersionError,
  type MigrationSequence,
} from './migrations';
import { PIPELINE_FORMAT_VERSION, type PipelineDocument } from './types';

/** Why a text is not a readable pipeline. */
export class PipelineFormatError extends Error {
  override name = 'PipelineFormatError';
  constructor(
    message: string,
    /** JSON pointer of the bad field, for structural problems (e.g. `/steps/1/position/x`). */
    readonly pointer?: string,
    /** 1-based line and column, for JSON syntax errors. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** Options of {@link parsePipeline}. */
export interface ParseOptions {
  /** Prefixed to messages, e.g. the file name (`weather.quiver.json: ...`). */
  source?: string;
  /** Migrations to apply; the production sequence unless a test supplies its own. */
  migrations?: MigrationSequence;
}

const validateDocument = compileSchema(pipelineDocumentSchema, pipelineDocumentSchema, {
  ownSchema: true,
});

/**
 * Parse a `.quiver.json` text into a current-version document. Throws
 * {@link PipelineFormatError}: `not a Quiver pipeline: invalid JSON at line 3 column 7 (...)`,
 * `not a Quiver pipeline: "format" must be "quiver-pipeline"`, `unsupported pipeline:
 * format version 7 is newer than this app reads (up to 1); ...`, or
 * `invalid pipeline: steps[0].position.x: must be number` (one line per problem).
 */
export function parsePipeline(text: string, opts: ParseOptions = {}): PipelineDocument {
  const prefix = opts.source ? `${opts.source}: ` : '';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const at = locateJsonError(text);
    const where = at ? `at line ${at.line} column ${at.column} (${at.reason})` : '';
    throw new PipelineFormatError(
      `${prefix}not a Quiver pipeline: invalid JSON ${where || (e as Error).message}`,
      undefined,
      at?.line,
      at?.column,
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PipelineFormatError(`${prefix}not a Quiver pipeline: expected a JSON object`, '');
  }
  const obj = raw as Record<string, unknown>;
  if (obj.format !== 'quiver-pipeline') {
    throw new PipelineFormatError(
      `${prefix}not a Quiver pipeline: "format" must be "quiver-pipeline" (found ${JSON.stringify(obj.format) ?? 'nothing'})`,
      '/format',
    );
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateDocument(obj, opts.migrations ?? pipelineMigrations).doc;
  } catch (e) {
    if (e instanceof UnsupportedVersionError) {
      throw new PipelineFormatError(`${prefix}unsupported pipeline: ${e.message}`, '/version');
    }
    throw e;
  }
  const errors = validateWith(validateDocument, migrated);
  if (errors.length > 0) {
    const lines = errors.map(
      (f) => `${prefix}invalid pipeline: ${pointerToPath(f.pointer, '')}: ${f.message}`,
    );
    throw new PipelineFormatError(lines.join('\n'), errors[0]?.pointer);
  }
  const doc = migrated as unknown as PipelineDocument;
  const problem = integrityProblem(doc);
  if (problem) {
    throw new PipelineFormatError(
      `${prefix}invalid pipeline: ${pointerToPath(problem.pointer, '')}: ${problem.message}`,
      problem.pointer,
    );
  }
  return doc;
}

/**
 * The first broken reference in a structurally valid document: a repeated step or edge id, an
 * edge naming a step that does not exist, or a broken group or note (`canvasItemsProblem`).
 * Null if none.
 */
export function integrityProblem(
  doc: PipelineDocument,
): { pointer: string; message: string } | null {
  const steps = new Set<string>();
  for (const [i, s] of doc.steps.entries()) {
    if (steps.has(s.id))
      return { pointer: `/steps/${i}/id`, message: `step id "${s.id}" is used twice` };
    steps.add(s.id);
  }
  const edges = new Set<string>();
  for (const [i, e] of doc.edges.entries()) {
    if (edges.has(e.id))
      return { pointer: `/edges/${i}/id`, message: `edge id "${e.id}" is used twice` };
    edges.add(e.id);
    for (const end of ['from', 'to'] as const) {
      if (!steps.has(e[end].step)) {
        return { pointer: `/edges/${i}/${end}/step`, message: `no step "${e[end].step}"` };
      }
    }
  }
  return canvasItemsProblem(doc);
}

/** The document as `.quiver.json` text: two-space indented JSON and a final newline. */
export function serializePipeline(doc: PipelineDocument): string {
  if (doc.version !== PIPELINE_FORMAT_VERSION) {
    throw new Error(
      `cannot write format version ${String(doc.version)}; this app writes ${PIPELINE_FORMAT_VERSION}`,
    );
  }
  return `${JSON.stringify(doc, null, 2)}\n`;
}
