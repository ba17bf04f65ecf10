/**
 * JSON Schema of {@link PipelineDocument} (the current format version), the structure `parsePipeline`
 * checks after migrating. Unknown fields are rejected, so a typo or a field from a newer
 * Quiver is reported instead of silently dropped.
 */
import { limitsSchema } from '../modules/manifest';
import { NOTE_COLORS, PIPELINE_FORMAT_VERSION } from './types';

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

const point = {
  type: 'object',
  additionalProperties: false,
  required: ['x', 'y'],
  properties: { x: { type: 'number' }, y: { type: 'number' } },
} as const;

/** A group: a titled frame around steps (ids checked against the steps after the schema). */
const group = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'steps'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 128 },
    title: { type: 'string' },
    steps: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    collapsed: { type: 'boolean' },
  },
} as const;

/** A sticky note; sizes in px at zoom 1, at least big enough to hold a word. */
const note = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'text', 'position', 'size', 'color'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 128 },
    text: { type: 'string' },
    position: point,
    size: {
      type: 'object',
      additionalProperties: false,
      required: ['width', 'height'],
      properties: {
        width: { type: 'number', minimum: 40 },
        height: { type: 'number', minimum: 30 },
      },
    },
    color: { enum: NOTE_COLORS },
  },
} as const;

/** The document schema (draft 2020-12). */
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
          position: point,
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
    groups: { type: 'array', items: group },
    notes: { type: 'array', items: note },
  },
} as const;
