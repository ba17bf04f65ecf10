/** Command-line arguments of `quiver`. */

/** A parsed command line. */
export type CliCommand =
  | { command: 'help' }
  | {
      command: 'run';
      pipeline: string;
      /** Source step id → file path, replacing the step's `uri`. */
      inputs: Record<string, string>;
      output?: string;
      /** Rows of the result printed. */
      rows: number;
      /** Workers per parallel step (streamable modules, Parquet sources); default: the cores. */
      parallelism?: number;
      /** A folder of installed modules beside the built-ins (`<id>.wasm` + `<id>.json`). */
      modules?: string;
      /** Permissions confirmed with `--allow`: a grant of the document not listed is denied. */
      allow: Permission[];
      /** Where modules granted storage keep their `/data` (one subfolder per module id). */
      data?: string;
      /** Run on Apache Spark instead of this process (docs/spark.md). */
      spark?: SparkOptions;
      /** Directory of the step-output cache; absent, every step runs. */
      cacheDir?: string;
    }
  | {
      command: 'module-embed';
      wasm: string;
      manifest: string;
      /** Where to write; default: rewrite `wasm` in place. */
      output?: string;
    };

/** A permission a step may be granted (`GrantedPermissions`' keys). */
export type Permission = 'storage' | 'clock' | 'random';

/** The permissions `--allow` takes. */
export const PERMISSIONS: readonly Permission[] = ['storage', 'clock', 'random'];

/** `--engine spark` options. */
export interface SparkOptions {
  /** Spark master URL; default `local[*]`. */
  master: string;
  /** Write the Spark plan to this file (for spark-submit) instead of running. */
  planFile?: string;
}

/** Usage text of `quiver --help`. */
export const USAGE = `Usage: quiver run <pipeline.quiver.json> [--input <step>=<file>]... [--output <file>] [--rows <n>]
                  [--modules <dir>] [--allow <permission>]... [--data <dir>]
       quiver module embed <module.wasm> <manifest.json> [-o <out.wasm>]
       quiver module test|new ...   (see quiver module --help)
       quiver --help

Runs a Quiver pipeline headless, one worker thread per step, with the built modules in
public/modules/. Prints the first rows of the result (the last step without consumers) as a
table, then each step's rows and milliseconds, and the peak memory of the process.

Options:
  --input <step>=<file>  read <file> in source step <step> instead of its uri
                         (.csv/.tsv, .arrow (file or stream), .parquet)
  --output <file>        write the whole result by extension: .csv as CSV, .parquet as Parquet, .svg a chart step's chart, else an Arrow IPC stream
  --rows <n>             rows of the result to print (default 20, at most 100)
  --parallelism <n>      workers a streamable step or a Parquet source runs on (default: the
                         machine's cores; 1 runs each step in one worker)
  --modules <dir>        also use the modules in <dir>: <id>.wasm with <id>.json, or a .wasm
                         whose manifest is embedded; each is checked before it runs
  --allow <permission>   confirm a permission the document grants (storage, clock, random);
                         repeat for several. A grant not confirmed is denied, with a warning
  --data <dir>           where steps granted storage keep /data (<dir>/<module id>/)
  --engine spark         run on Apache Spark with the same modules (docs/spark.md); sets up
                         .venv-spark/ on first use (npm run spark:setup)
  --master <url>         with --engine spark: the Spark master (default local[*])
  --plan <file>          with --engine spark: write the plan for spark-submit, do not run
  --cache-dir <dir>      keep each step's output in <dir>; a later run re-executes only the
                         steps whose module, params, grants, inputs or file changed
  -h, --help             show this text

module embed writes the manifest into the module's "quiver.manifest" custom section
(modules/sdk/ABI.md), so the .wasm alone can be installed; -o writes a copy instead of
rewriting <module.wasm>.

A pipeline exported "with modules" carries its installed modules; they are read and checked
as an install would (imports, sha256) and run beside the built-ins. A step pinned to a module
binary is refused when the binary found has another sha256.

Source URIs: sample:<file> (a vega-datasets file), file:<path> or a path.
Exit status: 0 when every step finished, 1 when a step failed, 2 on a usage or pipeline error.

Example: npx quiver run examples/seattle-weather.quiver.json`;

/** Parses `argv` (without node and the script). Throws an Error with a usage message. */
export function parseArgs(argv: readonly string[]): CliCommand {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    return { command: 'help' };
  }
  const [command, ...rest] = argv;
  if (command === 'module') return parseModuleArgs(rest);
  if (command !== 'run') throw new Error(`unknown command "${command}" (expected run or module)`);
  const inputs: Record<string, string> = {};
  let pipeline: string | undefined;
  let output: string | undefined;
  let rows = 20;
  let parallelism: number | undefined;
  let modules: string | undefined;
  let data: string | undefined;
  const allow: Permission[] = [];
  let engine = 'local';
  let master: string | undefined;
  let planFile: string | undefined;
  let cacheDir: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const value = (): string => {
      const next = rest[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--input') {
      const spec = value();
      const eq = spec.indexOf('=');
      if (eq <= 0) throw new Error(`--input ${spec}: expected <step>=<file>`);
      inputs[spec.slice(0, eq)] = spec.slice(eq + 1);
    } else if (arg === '--output') {
      output = value();
    } else if (arg === '--rows') {
      rows = Number(value());
      if (!Number.isInteger(rows) || rows < 0 || rows > 100)
        throw new Error('--rows: expected an integer from 0 to 100');
    } else if (arg === '--parallelism') {
      parallelism = Number(value());
      if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 256)
        throw new Error('--parallelism: expected an integer from 1 to 256');
    } else if (arg === '--modules') {
      modules = value();
    } else if (arg === '--data') {
      data = value();
    } else if (arg === '--allow') {
      const permission = value();
      const known = PERMISSIONS.find((p) => p === permission);
      if (known === undefined)
        throw new Error(`--allow ${permission}: expected one of ${PERMISSIONS.join(', ')}`);
      allow.push(known);
    } else if (arg === '--engine') {
      engine = value();
      if (engine !== 'local' && engine !== 'spark')
        throw new Error(`--engine: expected local or spark, got "${engine}"`);
    } else if (arg === '--master') {
      master = value();
    } else if (arg === '--plan') {
      planFile = value();
    } else if (arg === '--cache-dir') {
      cacheDir = value();
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else if (pipeline === undefined) {
      pipeline = arg;
    } else {
      throw new Error(`unexpected argument ${arg}`);
    }
  }
  if (pipeline === undefined) throw new Error('run: missing <pipeline.quiver.json>');
  const parsed: CliCommand = { command: 'run', pipeline, inputs, rows, allow };
  if (output !== undefined) parsed.output = output;
  if (parallelism !== undefined) parsed.parallelism = parallelism;
  if (modules !== undefined) parsed.modules = modules;
  if (data !== undefined) parsed.data = data;
  if (engine === 'spark') {
    parsed.spark = { master: master ?? 'local[*]' };
    if (planFile !== undefined) parsed.spark.planFile = planFile;
  } else if (master !== undefined || planFile !== undefined) {
    throw new Error('--master and --plan need --engine spark');
  }
  if (cacheDir !== undefined) parsed.cacheDir = cacheDir;
  return parsed;
}

/** `module embed <module.wasm> <manifest.json> [-o|--output <out.wasm>]`. */
function parseModuleArgs(argv: readonly string[]): CliCommand {
  const [sub, ...rest] = argv;
  if (sub !== 'embed') throw new Error(`unknown module command "${sub ?? ''}" (expected embed)`);
  const files: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '-o' || arg === '--output') {
      output = rest[++i];
      if (output === undefined) throw new Error(`${arg} needs a value`);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  const [wasm, manifest] = files;
  if (files.length !== 2 || wasm === undefined || manifest === undefined) {
    throw new Error('module embed: expected <module.wasm> <manifest.json>');
  }
  return output === undefined
    ? { command: 'module-embed', wasm, manifest }
    : { command: 'module-embed', wasm, manifest, output };
}
