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
    };

/** Usage text of `quiver --help`. */
export const USAGE = `Usage: quiver run <pipeline.quiver.json> [--input <step>=<file>]... [--output <file>] [--rows <n>]
       quiver module test|new ...   (see quiver module --help)
       quiver --help

Runs a Quiver pipeline headless, one worker thread per step, with the built modules in
public/modules/. Prints the first rows of the result (the last step without consumers) as a
table, then each step's rows and milliseconds, and the peak memory of the process.

Options:
  --input <step>=<file>  read <file> in source step <step> instead of its uri
                         (.csv/.tsv, .arrow (file or stream), .parquet)
  --output <file>        write the whole result: .csv as CSV, .arrow/.arrows as an Arrow IPC stream
  --rows <n>             rows of the result to print (default 20, at most 100)
  --parallelism <n>      workers a streamable step or a Parquet source runs on (default: the
                         machine's cores; 1 runs each step in one worker)
  -h, --help             show this text

Source URIs: sample:<file> (a vega-datasets file), file:<path> or a path.
Exit status: 0 when every step finished, 1 when a step failed, 2 on a usage or pipeline error.

Example: npx quiver run examples/seattle-weather.quiver.json`;

/** Parses `argv` (without node and the script). Throws an Error with a usage message. */
export function parseArgs(argv: readonly string[]): CliCommand {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    return { command: 'help' };
  }
  const [command, ...rest] = argv;
  if (command !== 'run') throw new Error(`unknown command "${command}" (expected run)`);
  const inputs: Record<string, string> = {};
  let pipeline: string | undefined;
  let output: string | undefined;
  let rows = 20;
  let parallelism: number | undefined;
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
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else if (pipeline === undefined) {
      pipeline = arg;
    } else {
      throw new Error(`unexpected argument ${arg}`);
    }
  }
  if (pipeline === undefined) throw new Error('run: missing <pipeline.quiver.json>');
  const parsed: CliCommand = { command: 'run', pipeline, inputs, rows };
  if (output !== undefined) parsed.output = output;
  if (parallelism !== undefined) parsed.parallelism = parallelism;
  return parsed;
}
