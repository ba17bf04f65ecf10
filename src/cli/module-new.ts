/**
 * `quiver module new <language> <id>`: copies `examples/modules/<language>/template/` to a new
 * directory, replacing `quiver_template` (in file contents and names) with the module id and
 * `@QUIVER_ROOT@` with this repository's absolute path, where the C SDK and the kits live.
 */
import { cp, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The languages that have a template. */
export const TEMPLATE_LANGUAGES = ['c', 'cpp', 'rust', 'go', 'assemblyscript'] as const;

/** The placeholder module id used throughout a template. */
export const TEMPLATE_ID = 'quiver_template';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A module id as the manifest requires, and usable as a C, Rust and Go identifier. */
const ID_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Every file under `dir`, depth first, as absolute paths. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])),
  );
  return nested.flat();
}

/**
 * Creates `<parent>/<id>` from the template of `language`; returns its path. Throws naming the
 * problem: an unknown language, an id that is not `^[a-z][a-z0-9_]{0,63}$`, an existing target.
 */
export async function scaffold(language: string, id: string, parent: string): Promise<string> {
  if (!(TEMPLATE_LANGUAGES as readonly string[]).includes(language))
    throw new Error(`no template for "${language}" (languages: ${TEMPLATE_LANGUAGES.join(', ')})`);
  if (!ID_PATTERN.test(id))
    throw new Error(`module id "${id}" must match ${ID_PATTERN.source} (lower case, digits, _)`);
  const target = resolve(parent, id);
  if (await stat(target).catch(() => undefined)) throw new Error(`${target} already exists`);
  await cp(join(REPO_ROOT, 'examples/modules', language, 'template'), target, { recursive: true });
  for (const file of await files(target)) {
    const text = await readFile(file, 'utf8');
    const replaced = text
      .replaceAll(TEMPLATE_ID, id)
      .replaceAll('@QUIVER_ROOT@', REPO_ROOT.replace(/\/$/, ''));
    if (replaced !== text) await writeFile(file, replaced);
    const name = file.slice(file.lastIndexOf('/') + 1);
    if (name.includes(TEMPLATE_ID))
      await rename(file, join(file, '..', name.replaceAll(TEMPLATE_ID, id)));
  }
  return target;
}
