/**
 * What the run command adds to the Node host: modules from `--modules <dir>` beside the
 * built-ins, the document's grants confirmed by `--allow` (any other is denied, with a warning
 * naming the step and the permission), and `--data <dir>` for the steps granted storage.
 */
import { resolve } from 'node:path';
import { createCatalog } from '../modules/catalog';
import type { PipelineDocument } from '../pipeline/types';
import type { NodeHost } from '../runtime/node-host';
import { PERMISSIONS, type CliCommand } from './args';
import { readModulesDir } from './modules-dir';

type RunCommand = Extract<CliCommand, { command: 'run' }>;

/**
 * `host` with the modules of `command.modules` in its catalog and loader, and its `dataRoot`.
 * Each problem of the folder is written with `warn`. Throws when the folder cannot be read or
 * a module's id is already taken (by a built-in or another file).
 */
export async function withCliModules(
  host: NodeHost,
  command: RunCommand,
  warn: (text: string) => void,
): Promise<NodeHost> {
  const extended: NodeHost = { ...host };
  if (command.data !== undefined) extended.dataRoot = resolve(command.data);
  if (command.modules === undefined) return extended;
  const found = await readModulesDir(command.modules);
  for (const problem of found.problems) warn(`quiver: --modules: ${problem}`);
  const builtIn = host.catalog.list().map((manifest) => ({
    manifest,
    fileName: `${manifest.id}.json`,
  }));
  extended.catalog = createCatalog([
    ...builtIn,
    ...found.modules.map((m) => ({ manifest: m.manifest, fileName: m.fileName })),
  ]);
  const byId = new Map(found.modules.map((m) => [m.manifest.id, m]));
  extended.loadModule = async (id) => {
    const module = byId.get(id);
    if (module === undefined) return host.loadModule(id);
    if (module.bytes === undefined) throw new Error(module.refusal ?? `${id}: refused`);
    return module.bytes;
  };
  return extended;
}

/**
 * Denies, in `doc`, every grant that `allow` does not confirm; returns one warning per denied
 * grant, naming the step and the permission.
 */
export function confirmGrants(doc: PipelineDocument, allow: readonly string[]): string[] {
  const warnings: string[] = [];
  for (const step of doc.steps) {
    for (const permission of PERMISSIONS) {
      const granted = step.permissions[permission];
      if (granted === 'none' || allow.includes(permission)) continue;
      step.permissions = { ...step.permissions, [permission]: 'none' };
      warnings.push(
        `quiver: step "${step.id}": the document grants ${permission} (${granted}), not ` +
          `confirmed with --allow ${permission}: denied`,
      );
    }
  }
  return warnings;
}
