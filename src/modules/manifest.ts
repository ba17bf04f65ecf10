/**
 * The module manifest (`<id>.json` beside `<id>.wasm`), ABI v1 or v2. The normative description is
 * `modules/sdk/ABI.md`; this file is its TypeScript shape and JSON Schema. Unknown fields are
 * rejected everywhere (`additionalProperties: false`).
 */

/** How a port's data reaches the module: an Arrow IPC stream, or raw bytes (e.g. CSV text). */
export type PortType = 'arrow' | 'bytes';

/**
 * One input or output port. The module reads input `name` at `/in/<name>.arrow` (type arrow)
 * or `/in/<name>.bytes` (type bytes) and writes output `name` at `/out/<name>.arrow`.
 */
export interface PortSpec {
  name: string;
  type: PortType;
  description?: string;
}

/** What a module asks for beyond its own inputs, params and outputs. */
export interface RequestedPermissions {
  /** A persistent directory preopened at `/data`. */
  storage?: 'read' | 'readwrite';
  /** WASI clocks (`clock_time_get`, `clock_res_get`). */
  clock?: boolean;
  /** WASI `random_get`. */
  random?: boolean;
}

/**
 * What the user granted one step (it lives here, beside what a module asks for, so that
 * import inspection needs nothing of the pipeline document). Denied is the default for
 * everything.
 */
export interface GrantedPermissions {
  /** Persistent `/data` directory: not preopened, read-only, or read-write. */
  storage: 'none' | 'read' | 'readwrite';
  /** `real` passes the host clock; `deterministic` a fixed, advancing fake; `none` refuses. */
  clock: 'none' | 'real' | 'deterministic';
  /** `real` uses crypto randomness; `deterministic` a seeded generator; `none` refuses. */
  random: 'none' | 'real' | 'deterministic';
}

/** Resource limits for one step. */
export interface StepLimits {
  /** Wall-clock limit for one run of the step, in milliseconds. */
  timeoutMs: number;
  /** Cap on the module's linear memory, in MiB (1 MiB = 16 WebAssembly pages). */
  maxMemoryMiB: number;
  /** Cap on the bytes the step outputs over all its ports, in MiB; default 4096. */
  maxOutputMiB?: number;
}

/** The output cap of a step whose limits do not set `maxOutputMiB`, in MiB. */
export const DEFAULT_MAX_OUTPUT_MIB = 4096;

/** A module's manifest. `kind: 'host'` marks steps the host implements itself (sources). */
export interface ModuleManifest {
  /** 1: a WASI command run through files; 2: a reactor fed through its memory (ABI.md §11). */
  abi: 1 | 2;
  id: string;
  name: string;
  version: string;
  description: string;
  /** Optional: who wrote the module (a name, and an address or URL), shown on the install card. */
  author?: string;
  category: string;
  kind?: 'wasm' | 'host';
  inputs: PortSpec[];
  outputs: PortSpec[];
  /** JSON Schema (draft 2020-12 subset understood by ajv) for `/params.json`. */
  params: Record<string, unknown>;
  permissions: RequestedPermissions;
  /** Row-local: the runtime may run the module once per record batch. */
  streamable: boolean;
  /** ABI 2 only: the module keeps its whole input until `qv_finish` (sort), so its memory cap
   * must allow for the input. Default false. */
  holdsInput?: boolean;
  /** Default limits; the user may change them per step. */
  limits: StepLimits;
}

/** The exports ABI 2 requires of a module besides `memory` (`modules/sdk/ABI.md` §11.1). */
export const REACTOR_EXPORTS = [
  'qv_alloc',
  'qv_free',
  'qv_begin',
  'qv_push',
  'qv_finish',
  'qv_output_ptr',
  'qv_output_size',
  'qv_output_clear',
] as const;

/** JSON Schema for {@link StepLimits}: a manifest's defaults and a step's own limits alike. */
export const limitsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['timeoutMs', 'maxMemoryMiB'],
  properties: {
    timeoutMs: { type: 'integer', minimum: 1 },
    maxMemoryMiB: { type: 'integer', minimum: 1, maximum: 4096 },
    maxOutputMiB: { type: 'integer', minimum: 1, maximum: 65536 },
  },
} as const;

const portSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,31}$' },
    type: { enum: ['arrow', 'bytes'] },
    description: { type: 'string' },
  },
} as const;

/** JSON Schema for {@link ModuleManifest}; validate with ajv before trusting a manifest. */
export const manifestSchema = {
  $id: 'https://quiver.invalid/schemas/module-manifest-v1.json',
  type: 'object',
  additionalProperties: false,
  required: [
    'abi',
    'id',
    'name',
    'version',
    'description',
    'category',
    'inputs',
    'outputs',
    'params',
    'permissions',
    'streamable',
    'limits',
  ],
  properties: {
    abi: { enum: [1, 2] },
    id: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{0,63}$' },
    name: { type: 'string', minLength: 1 },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+' },
    description: { type: 'string' },
    author: { type: 'string' },
    category: { type: 'string', minLength: 1 },
    kind: { enum: ['wasm', 'host'] },
    inputs: { type: 'array', items: portSchema },
    outputs: { type: 'array', items: portSchema },
    params: { type: 'object' },
    permissions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        storage: { enum: ['read', 'readwrite'] },
        clock: { type: 'boolean' },
        random: { type: 'boolean' },
      },
    },
    streamable: { type: 'boolean' },
    holdsInput: { type: 'boolean' },
    limits: limitsSchema,
  },
} as const;
