/**
 * `quiver module new <language> <id>`: a new module project made from the language's kit
 * example, `examples/modules/<language>/scale/` (so the starting point is the code the kit tests
 * build and compare), plus `examples/modules/<language>/template/README.md`. In every file and
 * file name the word `scale` becomes the module id (the README's placeholder is
 * `quiver_template`); the example's relative paths into this checkout (`$here/../../../..` in
 * build.sh, `../sdk` in go.mod, `../quiver-sdk` in Cargo.toml) become absolute, since the new
 * project lives elsewhere.
 */
import { cp, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The languages that have a kit example to start from. */
export const TEMPLATE_LANGUAGES = ['c', 'cpp', 'rust', 'go', 'assemblyscript'] as const;

/** The placeholder module id of a template README. */
export const TEMPLATE_ID = 'quiver_template';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/** A module id as the manifest requires, and usable as a C, Rust and Go identifier. */
const ID_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Build outputs and links in an example folder, never copied. */
const NOT_COPIED = new Set(['build', 'target', 'quiver-sdk', 'node_modules']);

/** The example's sentence on the kits, replaced by where the new project came from. */
const KITS_SENTENCE =
  "Every kit's example implements this same transform (scripts/kits.test.ts compares them).";
export const MADE_BY =
  "Made by `quiver module new` from the kits' scale example: change it into your transform.";

/** Every file under `dir`, depth first, as absolute paths. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])),
  );
  return nested.flat();
}

/** `text` of a file copied from the example of `language`, made into module `id`'s. */
function adapt(text: string, language: string, id: string): string {
  const kit = `${REPO_ROOT}/examples/modules/${language}`;
  return text
    .replace(/\bscale\b/g, id)
    .replaceAll(KITS_SENTENCE, MADE_BY)
    .replaceAll('$here/../../../..', REPO_ROOT)
    .replace(/(=> |path = ")\.\.\//g, `$1${kit}/`);
}

/**
 * Creates `<parent>/<id>` from the example of `language`; returns its path. Throws naming the
 * problem: an unknown language, an id that is not `^[a-z][a-z0-9_]{0,63}$`, an existing target.
 */
export async function scaffold(language: string, id: string, parent: string): Promise<string> {
  if (!(TEMPLATE_LANGUAGES as readonly string[]).includes(language))
    throw new Error(`no template for "${language}" (languages: ${TEMPLATE_LANGUAGES.join(', ')})`);
  if (!ID_PATTERN.test(id))
    throw new Error(`module id "${id}" must match ${ID_PATTERN.source} (lower case, digits, _)`);
  const target = resolve(parent, id);
  if (await stat(target).catch(() => undefined)) throw new Error(`${target} already exists`);
  const kit = join(REPO_ROOT, 'examples/modules', language);
  await cp(join(kit, 'scale'), target, {
    recursive: true,
    filter: (source) => !NOT_COPIED.has(basename(source)),
  });
  for (const file of await files(target)) {
    const text = await readFile(file, 'utf8');
    const adapted = adapt(text, language, id);
    if (adapted !== text) await writeFile(file, adapted);
    const name = basename(file);
    if (/\bscale\b/.test(name))
      await rename(file, join(file, '..', name.replace(/\bscale\b/g, id)));
  }
  const readme = await readFile(join(kit, 'template/README.md'), 'utf8');
  await writeFile(join(target, 'README.md'), readme.replaceAll(TEMPLATE_ID, id));
  return target;
}
