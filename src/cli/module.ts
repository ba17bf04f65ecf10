/**
 * `quiver module test|new`: the module author's commands. `test` runs the contract test
 * (`module-test/`), `new` scaffolds a project from a language's template (`module-new.ts`).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checkManifest, createCatalog } from '../modules/catalog';
import { defaultParams } from '../modules/defaults';
import type { ModuleManifest } from '../modules/manifest';
import type { CliIo } from './main';
import { scaffold, TEMPLATE_LANGUAGES } from './module-new';

/** Usage text of `quiver module`. */
export const MODULE_USAGE = `Usage: quiver module test <module.wasm> [--manifest <module.json>] [--params <json>] [--only <input,...>]
       quiver module new <language> <id> [--dir <parent>]
       quiver module embed <module.wasm> <manifest.json> [-o <out.wasm>]

test  runs a module on the contract test's fixed Arrow inputs (every type the SDK reads, nulls,
      no batch, zero-length batches, dictionaries, several batches, a large batch), twice, with
      its manifest's limits (and several batches again under at most 64 MiB and 10 s), and checks that it finishes, writes well-formed Arrow IPC with the
      schema it promises, and gives the same values run on two workers and on one. The manifest defaults to
      <module>.json beside the .wasm, or in the folder above it; params to --params, else the params schema's first
      "examples" entry, else its defaults. The input columns are named after their types
      (int8 ... float64, utf8, dict_utf8, timestamp_ms_utc ...). Exit status 1 on a failure.
new   copies the template of <language> (${TEMPLATE_LANGUAGES.join(', ')}) to <parent>/<id>
      (default: ./<id>), naming the module <id>.
embed writes the manifest into the module's "quiver.manifest" custom section (ABI.md §12).`;

/** Runs `quiver module ...` (`argv` after `module`); resolves with the exit status. */
export async function moduleMain(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || ['--help', '-h', 'help'].includes(command)) {
    io.out(MODULE_USAGE);
    return 0;
  }
  try {
    if (command === 'test') return await testCommand(rest, io);
    if (command === 'new') return await newCommand(rest, io);
    throw new UsageError(`unknown module command "${command ?? ''}" (expected test, new or embed)`);
  } catch (error) {
    io.err(`quiver module: ${(error as Error).message}`);
    if (error instanceof UsageError) io.err(`\n${MODULE_USAGE}`);
    return 2;
  }
}

class UsageError extends Error {}

/** Splits `args` into positionals and `--name value` options (every option takes a value). */
function options(args: readonly string[], known: readonly string[]) {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    if (!known.includes(arg)) throw new UsageError(`unknown option ${arg}`);
    const value = args[++i];
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    named[arg] = value;
  }
  return { positional, named };
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path}: invalid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** The params of the run: `--params`, else the schema's first example, else its defaults. */
function paramsFor(manifest: ModuleManifest, given: string | undefined): Record<string, unknown> {
  if (given !== undefined) {
    try {
      return JSON.parse(given) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`--params: invalid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  const examples = manifest.params.examples;
  const first: unknown = Array.isArray(examples) ? examples[0] : undefined;
  if (typeof first === 'object' && first !== null) return first as Record<string, unknown>;
  return defaultParams(manifest);
}

/** `<name>.json` beside `<name>.wasm`, else one folder up (a build/ folder's parent). */
async function defaultManifest(wasmPath: string): Promise<string> {
  const name = `${basename(wasmPath, '.wasm')}.json`;
  const beside = join(dirname(wasmPath), name);
  const above = join(dirname(wasmPath), '..', name);
  const exists = async (path: string) => (await stat(path).catch(() => undefined)) !== undefined;
  return (await exists(beside)) || !(await exists(above)) ? beside : above;
}

async function testCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, named } = options(args, ['--manifest', '--params', '--only']);
  const [wasmPath, extra] = positional;
  if (wasmPath === undefined || extra !== undefined)
    throw new UsageError('test: expected one <module.wasm>');
  const manifestPath = named['--manifest'] ?? (await defaultManifest(wasmPath));
  const { manifest } = checkManifest(await readJson(manifestPath, 'manifest'), manifestPath);
  const params = paramsFor(manifest, named['--params']);
  const catalog = createCatalog([{ manifest, fileName: `${manifest.id}.json` }]);
  const invalid = catalog.validateParams(manifest.id, params);
  if (invalid.length > 0) {
    const list = invalid.map((e) => `${e.pointer || '/'} ${e.message}`).join('; ');
    throw new Error(`params ${JSON.stringify(params)} do not fit ${manifestPath}: ${list}`);
  }
  const wasm = new Uint8Array(await readFile(wasmPath));
  const [{ runContract }, { formatReport }] = await Promise.all([
    import('./module-test/contract'),
    import('./module-test/report'),
  ]);
  const only = named['--only']?.split(',');
  const report = await runContract({ wasm, manifest, params, ...(only ? { only } : {}) });
  io.out(formatReport(basename(wasmPath), manifest, params, report));
  return report.ok ? 0 : 1;
}

async function newCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, named } = options(args, ['--dir']);
  const [language, id, extra] = positional;
  if (language === undefined || id === undefined || extra !== undefined)
    throw new UsageError('new: expected <language> <id>');
  const dir = await scaffold(language, id, named['--dir'] ?? '.');
  io.out(`Created ${dir} from the ${language} template; see its README.md to build and test it.`);
  return 0;
}
