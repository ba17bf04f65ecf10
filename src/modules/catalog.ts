/**
 * The module catalog on the host side: every known module's manifest, validated, with its
 * params validator compiled once.
 *
 * Manifests are loaded through an injected {@link ManifestLoader} so the same code runs in the
 * browser (`fetchLoader`, over HTTP from `public/modules/`) and in Node (`fsLoader` in
 * `node-loader.ts`, from the file system). The list of ids is `index.json` beside the manifests.
 */
import { manifestSchema, type ModuleManifest } from './manifest';
import { pointerToPath, validateWith, type FieldError } from './ajv';
import { compileSchema, type SchemaValidator } from './json-schema';

/** Reads files of the module directory by name (`index.json`, `<id>.json`, `<id>.wasm`). */
export interface ManifestLoader {
  /** The file's text; rejects with an error naming the file if it cannot be read. */
  readText(fileName: string): Promise<string>;
  /** The file's bytes (for `.wasm`); rejects with an error naming the file. */
  readBytes(fileName: string): Promise<Uint8Array>;
}

/** A manifest, a file or a params schema that is not acceptable; the message names file and field. */
export class ManifestError extends Error {
  override name = 'ManifestError';
  constructor(
    message: string,
    /** The file the problem is in, e.g. `filter.json`. */
    readonly fileName: string,
    /** Field errors, pointers into the manifest. */
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

/** The known modules. Immutable once built. */
export interface ModuleCatalog {
  /** The manifest of `moduleId`, or undefined if no such module is known. */
  get(moduleId: string): ModuleManifest | undefined;
  /** Every manifest, in load order. */
  list(): readonly ModuleManifest[];
  /**
   * Problems of `params` against the module's params schema, pointers relative to the params
   * object (empty when valid). Throws if `moduleId` is unknown.
   */
  validateParams(moduleId: string, params: unknown): FieldError[];
}

const validateManifestShape = compileSchema(manifestSchema, manifestSchema, { ownSchema: true });

/**
 * Throws unless every input port's `holdsInput` fits: ABI 2 only, and a condition names a
 * parameter the params schema declares.
 */
function checkHeldPorts(manifest: ModuleManifest, fileName: string): void {
  manifest.inputs.forEach((port, i) => {
    const holds = port.holdsInput;
    if (holds === undefined) return;
    const pointer = `/inputs/${i}/holdsInput`;
    const fail = (message: string): never => {
      throw new ManifestError(`${fileName}: inputs[${i}].holdsInput: ${message}`, fileName, [
        { pointer, message },
      ]);
    };
    if (manifest.abi !== 2) fail('only ABI 2 modules hold an input');
    const properties = (manifest.params.properties ?? {}) as Record<string, unknown>;
    if (typeof holds === 'object' && !(holds.param in properties)) {
      fail(`no parameter "${holds.param}" in params`);
    }
  });
}

/**
 * Check one manifest against `manifestSchema` (unknown fields rejected) and compile its params
 * schema (on first use with `options.lazyParamsSchemas`). Returns the manifest typed. Throws
 * {@link ManifestError} naming the file and field: `filter.json: limits.timeoutMs: must be
 * integer`.
 */
export function checkManifest(
  value: unknown,
  fileName: string,
  options: CatalogOptions = {},
): { manifest: ModuleManifest; validateParams: SchemaValidator } {
  const errors = validateWith(validateManifestShape, value);
  if (errors.length > 0) {
    const lines = errors.map((e) => `${fileName}: ${pointerToPath(e.pointer, '')}: ${e.message}`);
    throw new ManifestError(lines.join('\n'), fileName, errors);
  }
  const manifest = value as ModuleManifest;
  const expected = `${manifest.id}.json`;
  if (fileName.endsWith('.json') && baseName(fileName) !== expected) {
    throw new ManifestError(
      `${fileName}: id: "${manifest.id}" does not match the file name (expected ${expected})`,
      fileName,
      [{ pointer: '/id', message: 'does not match the file name' }],
    );
  }
  for (const [list, ports] of [
    ['inputs', manifest.inputs],
    ['outputs', manifest.outputs],
  ] as const) {
    const names = new Set<string>();
    ports.forEach((p, i) => {
      if (names.has(p.name)) {
        throw new ManifestError(
          `${fileName}: ${list}[${i}].name: port "${p.name}" is declared twice`,
          fileName,
          [{ pointer: `/${list}/${i}/name`, message: 'duplicate port name' }],
        );
      }
      names.add(p.name);
    });
  }
  checkHeldPorts(manifest, fileName);
  const compile = () => compileParams(manifest, fileName);
  return {
    manifest,
    validateParams: options.lazyParamsSchemas ? lazily(manifest, compile) : compile(),
  };
}

/** How a catalog treats its manifests' params schemas. */
export interface CatalogOptions {
  /**
   * Check and compile each params schema on its first use instead of at load, so that a
   * bad one throws {@link ManifestError} from `validateParams`. For manifests checked when
   * they were built (the built-ins a build ships): the editor then starts without checking
   * every schema against the draft-07 meta-schema (~8 ms each), only those of the steps it
   * shows. Default false.
   */
  lazyParamsSchemas?: boolean;
}

/** `manifest.params` compiled; throws {@link ManifestError} naming the file if it cannot be. */
function compileParams(manifest: ModuleManifest, fileName: string): SchemaValidator {
  try {
    return compileSchema(manifest.params);
  } catch (e) {
    throw new ManifestError(
      `${fileName}: params: not a usable JSON Schema: ${(e as Error).message}`,
      fileName,
      [{ pointer: '/params', message: 'not a usable JSON Schema' }],
    );
  }
}

/** A validator that compiles its schema with `compile` on its first call. */
function lazily(manifest: ModuleManifest, compile: () => SchemaValidator): SchemaValidator {
  let compiled: SchemaValidator | null = null;
  const validate = ((data: unknown) => {
    compiled ??= compile();
    const ok = compiled(data);
    validate.errors = compiled.errors;
    return ok;
  }) as SchemaValidator;
  validate.errors = null;
  validate.schema = manifest.params;
  return validate;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * A catalog of already-parsed manifests (e.g. the built-ins plus the host's `source`).
 * Throws {@link ManifestError} on an invalid manifest or a duplicate id.
 */
export function createCatalog(
  entries: readonly { manifest: unknown; fileName: string }[],
  options: CatalogOptions = {},
): ModuleCatalog {
  const byId = new Map<string, { manifest: ModuleManifest; validateParams: SchemaValidator }>();
  for (const { manifest, fileName } of entries) {
    const checked = checkManifest(manifest, fileName, options);
    if (byId.has(checked.manifest.id)) {
      throw new ManifestError(
        `${fileName}: id: module "${checked.manifest.id}" is defined twice`,
        fileName,
        [{ pointer: '/id', message: 'duplicate module id' }],
      );
    }
    byId.set(checked.manifest.id, checked);
  }
  const manifests = [...byId.values()].map((e) => e.manifest);
  return {
    get: (id) => byId.get(id)?.manifest,
    list: () => manifests,
    validateParams(id, params) {
      const entry = byId.get(id);
      if (!entry) throw new Error(`unknown module "${id}"`);
      return validateWith(entry.validateParams, params);
    },
  };
}

/**
 * Load `index.json` (a JSON array of module ids) and each `<id>.json` through `loader`, plus any
 * `extra` manifests the host defines itself (e.g. the runtime's `source`). Throws
 * {@link ManifestError} naming the file and field of the first bad manifest (a bad params
 * schema from `validateParams` instead, with `options.lazyParamsSchemas`).
 */
export async function loadCatalog(
  loader: ManifestLoader,
  extra: readonly ModuleManifest[] = [],
  options: CatalogOptions = {},
): Promise<ModuleCatalog> {
  const index = parseJson(await loader.readText('index.json'), 'index.json');
  const ids: unknown[] | null = Array.isArray(index) ? index : null;
  if (!ids || !ids.every((id): id is string => typeof id === 'string')) {
    throw new ManifestError('index.json: expected an array of module ids (strings)', 'index.json');
  }
  const entries = await Promise.all(
    ids.map(async (id) => {
      const fileName = `${id}.json`;
      return { manifest: parseJson(await loader.readText(fileName), fileName), fileName };
    }),
  );
  for (const m of extra) entries.push({ manifest: m, fileName: `${m.id}.json` });
  return createCatalog(entries, options);
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ManifestError(`${fileName}: invalid JSON: ${(e as Error).message}`, fileName);
  }
}

/**
 * A loader over HTTP: `baseUrl` is the directory URL (e.g. `new URL('modules/', location.href)`;
 * a missing final `/` is added).
 * Uses the global `fetch` (browser, worker, Node 18+).
 */
export function fetchLoader(baseUrl: string | URL): ManifestLoader {
  // A directory URL must end with "/", or relative names resolve against its parent.
  const base = String(baseUrl).endsWith('/') ? String(baseUrl) : `${String(baseUrl)}/`;
  const get = async (fileName: string): Promise<Response> => {
    const url = new URL(fileName, base);
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new Error(`${url.href}: could not be fetched: ${(e as Error).message}`, { cause: e });
    }
    if (!res.ok) throw new Error(`${url.href}: HTTP ${res.status} ${res.statusText}`);
    return res;
  };
  return {
    readText: async (f) => (await get(f)).text(),
    readBytes: async (f) => new Uint8Array(await (await get(f)).arrayBuffer()),
  };
}
