/**
 * Reading modules to install, from dropped or chosen files and from a URL, into what the install
 * card shows: a checked package with its bytes, or the reasons it cannot be read (a manifest's
 * problems with their fields). Nothing read here runs: packages are compiled, never instantiated.
 */
import { pointerToPath } from '../modules/ajv';
import { ManifestError } from '../modules/catalog';
import type { UnpackedModule } from '../modules/embedded';
import type { RequestedPermissions } from '../modules/manifest';
import { PackageError, readModulePackage } from '../modules/package';

/** One module to show on an install card. */
export type Candidate =
  | { ok: true; source: string; module: UnpackedModule }
  | {
      ok: false;
      source: string;
      message: string;
      /** A manifest's problems: `field` is a path such as `limits.timeoutMs`. */
      fields: { field: string; message: string }[];
    };

/** Whether a file is one of a module's (`.wasm` binary or `.json` manifest). */
export function isModuleFile(name: string): boolean {
  return /\.(wasm|json)$/i.test(name) && !/\.quiver\.json$/i.test(name);
}

function stem(name: string): string {
  return name.replace(/\.(wasm|json)$/i, '');
}

/**
 * Candidates from files: each `.wasm` with the `.json` of the same name (or the only `.json`
 * when one of each is given), else with its embedded manifest. A `.json` with no `.wasm` is a
 * failed candidate naming it.
 */
export async function candidatesFromFiles(files: readonly File[]): Promise<Candidate[]> {
  const wasms = files.filter((f) => /\.wasm$/i.test(f.name));
  const jsons = files.filter((f) => /\.json$/i.test(f.name));
  const used = new Set<File>();
  const out: Candidate[] = [];
  for (const wasm of wasms) {
    const json =
      jsons.find((j) => stem(j.name) === stem(wasm.name)) ??
      (wasms.length === 1 && jsons.length === 1 ? jsons[0] : undefined);
    if (json) used.add(json);
    const bytes = new Uint8Array(await wasm.arrayBuffer());
    out.push(
      await candidate(
        bytes,
        wasm.name,
        json ? { text: await json.text(), name: json.name } : undefined,
      ),
    );
  }
  for (const json of jsons.filter((j) => !used.has(j))) {
    out.push({
      ok: false,
      source: json.name,
      message: `${json.name}: no .wasm was given with this manifest`,
      fields: [],
    });
  }
  return out;
}

/**
 * A candidate from a URL: a `.json` manifest (its `.wasm` fetched beside it, `<id>.wasm`), or a
 * `.wasm` (with `<name>.json` beside it if there is one, else its embedded manifest).
 */
export async function candidateFromUrl(url: string): Promise<Candidate> {
  let base: URL;
  try {
    base = new URL(url, location.href);
  } catch {
    return { ok: false, source: url, message: `${url}: not a URL`, fields: [] };
  }
  try {
    if (/\.json$/i.test(base.pathname)) {
      const text = await (await get(base)).text();
      const id = (JSON.parse(text) as { id?: unknown }).id;
      const wasmUrl = new URL(`${typeof id === 'string' ? id : stem(fileName(base))}.wasm`, base);
      const bytes = new Uint8Array(await (await get(wasmUrl)).arrayBuffer());
      return await candidate(bytes, wasmUrl.href, { text, name: base.href });
    }
    const bytes = new Uint8Array(await (await get(base)).arrayBuffer());
    const jsonUrl = new URL(`${stem(fileName(base))}.json`, base);
    const beside = await fetch(jsonUrl).catch(() => null);
    const manifest = beside?.ok ? { text: await beside.text(), name: jsonUrl.href } : undefined;
    return await candidate(bytes, base.href, manifest);
  } catch (e) {
    return { ok: false, source: base.href, message: (e as Error).message, fields: [] };
  }
}

function fileName(url: URL): string {
  return decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));
}

async function get(url: URL): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`${url.href}: could not be fetched (${(e as Error).message})`, { cause: e });
  }
  if (!res.ok) throw new Error(`${url.href}: HTTP ${res.status}`);
  return res;
}

/** Read one package; failures become a failed candidate with the manifest's fields. */
export async function candidate(
  wasm: Uint8Array<ArrayBuffer>,
  wasmName: string,
  manifest?: { text: string; name: string },
): Promise<Candidate> {
  try {
    const pkg = await readModulePackage(wasm, {
      wasmFileName: wasmName,
      ...(manifest ? { manifestText: manifest.text, manifestFileName: manifest.name } : {}),
    });
    return { ok: true, source: wasmName, module: { pkg, wasm } };
  } catch (e) {
    if (e instanceof ManifestError || e instanceof PackageError) {
      const fields =
        e instanceof ManifestError
          ? e.fields.map((f) => ({
              field: pointerToPath(f.pointer, '') || '(manifest)',
              message: f.message,
            }))
          : [];
      return { ok: false, source: wasmName, message: e.message, fields };
    }
    throw e;
  }
}

/** The permissions a manifest asks for, as words (`storage: readwrite`, `clock`, `random`). */
export function permissionWords(p: RequestedPermissions): string[] {
  const words: string[] = [];
  if (p.storage) words.push(`storage (${p.storage === 'read' ? 'read-only' : 'read-write'})`);
  if (p.clock) words.push('clock');
  if (p.random) words.push('random');
  return words;
}

/** What an update changes in the permissions asked for: `+ clock`, `- random`, `storage: read → readwrite`. */
export function permissionChanges(
  before: RequestedPermissions,
  after: RequestedPermissions,
): string[] {
  const changes: string[] = [];
  if (before.storage !== after.storage) {
    if (!before.storage) changes.push(`+ storage (${after.storage ?? ''})`);
    else if (!after.storage) changes.push(`- storage (${before.storage})`);
    else changes.push(`storage: ${before.storage} → ${after.storage}`);
  }
  for (const k of ['clock', 'random'] as const) {
    if (Boolean(before[k]) !== Boolean(after[k])) changes.push(`${after[k] ? '+' : '-'} ${k}`);
  }
  return changes;
}
