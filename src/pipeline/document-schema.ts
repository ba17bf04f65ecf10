/**
 * JSON Schema of {@link PipelineDocument} format version 2, the structure `parsePipeline`
 * checks after migrating. Unknown fields are rejected, so a typo or a field from a newer
 * Quiver is reported instead of silently dropped.
 */
import { limitsSchema } from '../modules/manifest';
import { PIPELINE_FORMAT_VERSION } from './types';

const portRef = {
  type: 'object',
  additionalProperties: false,
  required: ['step', 'port'],
  properties: {
    step: { type: 'string', minLength: 1 },
    port: { type: 'string', minLength: 1 },
  },
} as const;

const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

/** The v2 document schema (draft 2020-12). */
export const pipelineDocumentSchema = {
  $id: 'https://quiver.invalid/schemas/pipeline-v2.json',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'version', 'id', 'name', 'steps', 'edges'],
  properties: {
    format: { const: 'quiver-pipeline' },
    version: { const: PIPELINE_FORMAT_VERSION },
    id: { type: 'string', minLength: 1 },
    name: { type: 'string' },
    description: { type: 'string' },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'moduleId', 'params', 'permissions', 'limits', 'position'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 128 },
          moduleId: { type: 'string', minLength: 1 },
          label: { type: 'string' },
          params: { type: 'object' },
          permissions: {
            type: 'object',
            additionalProperties: false,
            required: ['storage', 'clock', 'random'],
            properties: {
              storage: { enum: ['none', 'read', 'readwrite'] },
              clock: { enum: ['none', 'real', 'deterministic'] },
              random: { enum: ['none', 'real', 'deterministic'] },
            },
          },
          limits: limitsSchema,
          position: {
            type: 'object',
            additionalProperties: false,
            required: ['x', 'y'],
            properties: { x: { type: 'number' }, y: { type: 'number' } },
          },
          pin: {
            type: 'object',
            additionalProperties: false,
            required: ['version', 'sha256'],
            properties: { version: { type: 'string', minLength: 1 }, sha256 },
          },
          bypass: { type: 'boolean' },
        },
      },
    },
    edges: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'from', 'to'],
        properties: { id: { type: 'string', minLength: 1 }, from: portRef, to: portRef },
      },
    },
    modules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['manifest', 'sha256', 'wasmBase64'],
        properties: {
          manifest: { type: 'object' },
          sha256,
          wasmBase64: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' },
        },
      },
    },
  },
} as const;
