/**
 * What a step's fingerprint needs beyond the document (`stepFingerprints(doc, identities)`):
 *
 * - a module step: the module's id, version and content hash (`filter@1.0.0#sha256:…`). The
 *   hash comes from `RunOptions.moduleHash` when the host has one (a pinned module's sha256),
 *   else it is the SHA-256 of the bytes `loadModule` gives, computed once per id and version
 *   in this thread.
 * - a source: the file's identity. The host says it when it can do so cheaply
 *   (`ResolvedSource.identity`: a path with its size and modification time in Node; a stored
 *   file's id, name, size and last-modified in the browser), because hashing a file of hundreds
 *   of megabytes on every Run would cost far more than the 20 ms a Run with nothing changed
 *   may take. Bytes in memory are hashed (SHA-256); a Blob with no identity is named by its
 *   name, size and (for a File) last-modified. A Parquet source also records the columns it
 *   decodes (they depend on what is read downstream).
 * - a step whose output differs on every run (a real clock or random, or a `/data` directory,
 *   whose content the host cannot see) gets the run's id, so it is never served from the cache.
 */
import { contentHash, moduleKey } from '../modules/compile-cache';
import type { StepIdentities } from '../pipeline/fingerprint';
import type { PipelineDocument, Step } from '../pipeline/types';
import { columnsReadDownstream } from './projection';
import type { ResolvedSource, RunOptions } from './types';

/** What the identities need from a run's options. */
export type IdentityOptions = Pick<
  RunOptions,
  | 'catalog'
  | 'loadModule'
  | 'resolveSource'
  | 'identifySource'
  | 'moduleHash'
  | 'projectColumns'
  | 'collect'
>;

/** Module hashes by `id@version`, computed once per thread. */
const moduleHashes = new Map<string, Promise<string>>();

/** Prefix of the identity of a step that is never cached. */
export const UNCACHEABLE = 'uncacheable:';

/**
 * The identities of every step of `doc` with a known module, by step id. A step whose module
 * or file cannot be read gets an uncacheable identity (it fails when it runs, with the reason).
 */
export async function stepIdentities(
  doc: PipelineDocument,
  opts: IdentityOptions,
  runId: string,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    doc.steps.map(async (step): Promise<[string, string]> => {
      if (changesEveryRun(step)) return [step.id, `${UNCACHEABLE}${runId}`];
      try {
        return [step.id, await identityOf(doc, step, opts)];
      } catch {
        return [step.id, `${UNCACHEABLE}${runId}`];
      }
    }),
  );
  return Object.fromEntries(entries) satisfies StepIdentities;
}

/** Whether a step's output differs from run to run whatever its inputs. */
function changesEveryRun(step: Step): boolean {
  const p = step.permissions;
  return p.clock === 'real' || p.random === 'real' || p.storage !== 'none';
}

async function identityOf(
  doc: PipelineDocument,
  step: Step,
  opts: IdentityOptions,
): Promise<string> {
  const manifest = opts.catalog.get(step.moduleId);
  if (!manifest) return '';
  if (manifest.kind === 'host') return sourceIdentity(doc, step, opts);
  const key = moduleKey(manifest.id, manifest.version);
  let hash = moduleHashes.get(key);
  if (opts.moduleHash) hash = opts.moduleHash(manifest.id);
  else if (!hash) {
    hash = opts.loadModule(manifest.id).then(contentHash);
    moduleHashes.set(key, hash);
    hash.catch(() => moduleHashes.delete(key));
  }
  return `${key}#sha256:${await hash}`;
}

async function sourceIdentity(
  doc: PipelineDocument,
  step: Step,
  opts: IdentityOptions,
): Promise<string> {
  const uri = String(step.params.uri ?? '');
  const file = opts.identifySource
    ? await opts.identifySource(uri)
    : await fileIdentity(await opts.resolveSource(uri));
  const columns = opts.projectColumns
    ? columnsReadDownstream(doc, step.id, 'out', opts.collect)
    : null;
  const read = columns === null ? '*' : [...columns].sort().join(',');
  return `${file}#columns=${read}`;
}

/** The identity of a resolved file (see the file comment for which and why). */
export async function fileIdentity(resolved: ResolvedSource): Promise<string> {
  if (resolved.identity !== undefined) return resolved.identity;
  if ('bytes' in resolved) return `sha256:${await contentHash(resolved.bytes)}`;
  if ('blob' in resolved) {
    const modified = 'lastModified' in resolved.blob ? resolved.blob.lastModified : 'none';
    return `blob:${resolved.name}#size=${resolved.blob.size}#modified=${String(modified)}`;
  }
  throw new Error(`${resolved.path}: no identity given for a path`);
}
