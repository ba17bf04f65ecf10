/**
 * The pipeline document's public API: types, files, migrations, edits, validation and schema
 * propagation. The expression language has its own entry point, `./expression`.
 */
export * from './types';
export * from './table-schema';
export { fromArrowSchema, fromArrowType } from './arrow-schema';
export {
  parsePipeline,
  serializePipeline,
  integrityProblem,
  PipelineFormatError,
  type ParseOptions,
} from './serialize';
export {
  migrateDocument,
  checkMigrationSequence,
  pipelineMigrations,
  PipelineVersions,
  UnsupportedVersionError,
  type Migration,
  type MigrationSequence,
} from './migrations';
export { nextStepId, edgeId, randomId } from './ids';
export { topologicalOrder, reaches, incomingEdges } from './graph';
export { stepFingerprints, canonicalJson } from './fingerprint';
export * from './edit';
export { inferSchemas, type InferredSchemas, type KnownSchemas, type PortSchemas } from './infer';
export {
  validatePipeline,
  validatePipelineWithSchemas,
  type PipelineCheck,
  type ValidationIssue,
} from './validate';
