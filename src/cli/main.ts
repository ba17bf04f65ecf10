/**
 * `quiver`: the headless runner. Runs a pipeline file with the same runtime as the app (one
 * worker thread per step), prints the result's first rows and each step's rows and ms, and
 * exits non-zero when a step fails.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ModuleSource } from '../modules/extend';
import type { PipelineDocument } from '../pipeline/types';
import type { StepCache } from '../runtime/cache';
import type { RunResult } from '../runtime/types';
import { parseArgs, USAGE, type CliCommand } from './args';
import { confirmGrants, withCliModules } from './run-host';
import { formatTable } from './table';

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const consoleIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** The steps whose outputs feed nothing: the pipeline's results. */
export function resultSteps(doc: PipelineDocument): string[] {
  const feeding = new Set(doc.edges.map((e) => e.from.step));
  return doc.steps.filter((s) => !feeding.has(s.id)).map((s) => s.id);
}

/** Runs the command line `argv`; resolves with the exit status. */
export async function main(argv: readonly string[], io: CliIo = consoleIo): Promise<number> {
  // `module embed` is parsed with the run options (args.ts); test and new have their own.
  if (argv[0] === 'module' && argv[1] !== 'embed') {
    const { moduleMain } = await import('./module');
    return moduleMain(argv.slice(1), io);
  }
  let command: CliCommand;
  try {
    command = parseArgs(argv);
  } catch (error) {
    io.err(`quiver: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (command.command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command.command === 'module-embed') {
    const { moduleEmbed } = await import('./module-embed');
    try {
      io.out(await moduleEmbed(command));
      return 0;
    } catch (error) {
      io.err(`quiver: ${(error as Error).message}`);
      return 1;
    }
  }
  if (command.spark !== undefined) {
    const { runOnSpark } = await import('./spark');
    return runOnSpark(command, command.spark, io);
  }
  // Loaded only for a run, so that --help and usage errors answer at once.
  const [
    { loadPipeline },
    { nodeHost },
    { runPipeline },
    { writeArrowStream, writeCsv },
    { writeParquet },
    { previewCellText },
  ] = await Promise.all([
    import('./load'),
    import('../runtime/node-host'),
    import('../runtime/run'),
    import('../runtime/sinks'),
    import('../runtime/parquet-sink'),
    import('../runtime/temporal-text'),
  ]);
  let doc: PipelineDocument;
  try {
    doc = await loadPipeline(command.pipeline, command.inputs);
  } catch (error) {
    io.err(`quiver: ${(error as Error).message}`);
    return 2;
  }
  for (const warning of confirmGrants(doc, command.allow)) io.err(warning);
  let host: Awaited<ReturnType<typeof nodeHost>>;
  try {
    const withModules = await withCliModules(await nodeHost(), command, io.err);
    host = await withEmbedded(withModules, doc, command.pipeline);
  } catch (error) {
    io.err(`quiver: ${(error as Error).message}`);
    return 2;
  }
  const cache = command.cacheDir === undefined ? undefined : await directoryCache(command.cacheDir);
  // Each result step's table: its `out` port, else its first output.
  const results = resultSteps(doc).map((id) => {
    const outputs =
      host.catalog.get(doc.steps.find((s) => s.id === id)?.moduleId ?? '')?.outputs ?? [];
    const port = outputs.some((p) => p.name === 'out') ? 'out' : (outputs[0]?.name ?? 'out');
    return { id, port };
  });
  const collectKeys = results.map(({ id, port }) => `${id}.${port}`);
  let result: RunResult;
  try {
    result = await runPipeline(doc, {
      ...host,
      parallelism: command.parallelism ?? host.parallelism,
      ...(cache ? { cache } : {}),
      collect: command.output !== undefined ? collectKeys.slice(0, 1) : [],
      onEvent: (event) => {
        if (event.type === 'step-failed') io.err(`step "${event.stepId}" failed: ${event.message}`);
      },
    });
  } catch (error) {
    io.err(`quiver: ${(error as Error).message}`);
    return 2;
  } finally {
    host.pool.terminate();
  }
  // The CLI exits after the run: the cache's writes end first.
  await result.stored;
  for (const { id, port } of results) {
    const preview = result.steps[id]?.preview?.[port];
    if (!preview) continue;
    const columns = preview.schema.fields.map((f) => f.name);
    const shown = preview.rows.slice(0, command.rows);
    const total = result.steps[id]?.rowsByPort[port] ?? shown.length;
    io.out(`Result of step "${id}" (${shown.length} of ${total} rows):`);
    io.out(
      formatTable(
        columns,
        shown.map((row) =>
          columns.map((c, i) => previewCellText(row[c], preview.schema.fields[i]!.type)),
        ),
      ),
    );
    io.out('');
  }
  io.out(stepSummary(doc, result));
  if (cache) {
    const cached = doc.steps.filter((s) => result.steps[s.id]?.status === 'cached');
    const list = cached.length === 0 ? 'none' : cached.map((s) => s.id).join(', ');
    io.out(`\nFrom the cache (${command.cacheDir}): ${list}`);
  }
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  io.out(`\nTotal ${result.ms} ms, peak memory (RSS) ${rssMiB.toFixed(0)} MiB`);
  if (command.output !== undefined && result.ok) {
    const key = collectKeys[0];
    const bytes = key === undefined ? undefined : result.collected[key];
    if (bytes === undefined) {
      io.err('quiver: no result to write');
      return 1;
    }
    const lower = command.output.toLowerCase();
    const step = doc.steps.find((s) => `${s.id}.chart` === key);
    if (lower.endsWith('.svg') && step?.moduleId !== 'chart') {
      io.err('quiver: --output *.svg needs a chart step as the result');
      return 2;
    }
    const data = lower.endsWith('.svg')
      ? await svgOf(step!, bytes)
      : lower.endsWith('.csv')
        ? writeCsv(bytes)
        : lower.endsWith('.parquet')
          ? await writeParquet(bytes, host.loadParquetWasm!)
          : writeArrowStream(bytes);
    await writeFile(command.output, data);
    io.out(`Wrote ${command.output} (${data.byteLength} bytes)`);
  }
  return result.ok ? 0 : 1;
}

/** Memory for this process, 10 GiB on disk; entries as big as the memory tier. */
const CLI_CACHE_BUDGET = {
  memoryBytes: 1024 * 1024 * 1024,
  persistentBytes: 10 * 1024 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024 * 1024,
};

/** The step-output cache kept in `dir`; each entry is written before the run resolves. */
async function directoryCache(dir: string): Promise<StepCache> {
  const [{ TieredStepCache }, { directoryCacheFiles }] = await Promise.all([
    import('../runtime/cache-tiers'),
    import('../storage/cache-dir'),
  ]);
  return new TieredStepCache(CLI_CACHE_BUDGET, directoryCacheFiles(resolve(dir)), false, (e) =>
    process.stderr.write(`quiver: cache: ${(e as Error).message}\n`),
  );
}

/** The SVG of a chart step's result (`bytes`: its chart table as an Arrow IPC stream). */
async function svgOf(step: PipelineDocument['steps'][number], bytes: Uint8Array) {
  const { chartSvg } = await import('../runtime/chart/svg');
  return chartSvg(bytes, step.params);
}

/**
 * `host` plus the modules `doc` carries (an export "with modules"), each read and checked as
 * an install would be; throws naming the file and module when one is refused.
 */
async function withEmbedded<T extends ModuleSource>(
  host: T,
  doc: PipelineDocument,
  file: string,
): Promise<T> {
  const carried = doc.modules ?? [];
  if (carried.length === 0) return host;
  const [{ unpackEmbedded }, { packageRefusal }, { withModules }] = await Promise.all([
    import('../modules/embedded'),
    import('../modules/package'),
    import('../modules/extend'),
  ]);
  const unpacked = await Promise.all(
    carried.map((entry, i) => unpackEmbedded(entry, `${file}: modules[${i}]`)),
  );
  for (const { pkg } of unpacked) {
    const refusal = packageRefusal(pkg);
    if (refusal !== null) throw new Error(`${file}: ${refusal}`);
  }
  return withModules(host, unpacked);
}

/** One line per step: id, module, status, rows out, ms (and the failure message). */
function stepSummary(doc: PipelineDocument, result: RunResult): string {
  const rows = doc.steps.map((step) => {
    const r = result.steps[step.id];
    const rowsOut = r ? Object.values(r.rowsByPort).reduce((a, b) => a + b, 0) : 0;
    return [
      step.id,
      step.moduleId,
      r?.status ?? 'skipped',
      r?.status === 'finished' || r?.status === 'cached' ? rowsOut : null,
      r?.ms ?? 0,
      r?.status === 'finished' || r?.status === 'cached' ? '' : (r?.message ?? ''),
    ];
  });
  return formatTable(['step', 'module', 'status', 'rows', 'ms', 'message'], rows);
}
