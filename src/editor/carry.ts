/**
 * Export "with modules": the installed modules a pipeline's steps pin, carried inside the
 * document (`modules`, base64), so that it runs for whoever opens it, after the same install
 * card. Built-in modules are never carried: every Quiver has them.
 */
import { embedModule, type UnpackedModule } from '../modules/embedded';
import type { PipelineDocument } from '../pipeline/types';

/**
 * `doc` with `modules` set to the installed binaries its steps pin (each once), replacing any
 * carried before. A pin whose binary is not installed here is carried only if `doc` already
 * carries it.
 */
export function withCarriedModules(
  doc: PipelineDocument,
  installed: ReadonlyMap<string, UnpackedModule>,
): PipelineDocument {
  const carried = new Map((doc.modules ?? []).map((m) => [m.sha256, m]));
  const modules: NonNullable<PipelineDocument['modules']> = [];
  const seen = new Set<string>();
  for (const step of doc.steps) {
    const sha = step.pin?.sha256;
    if (!sha || seen.has(sha)) continue;
    seen.add(sha);
    const own = installed.get(step.moduleId);
    if (own && own.pkg.sha256 === sha) {
      const manifest = own.pkg.manifest as unknown as Record<string, unknown>;
      modules.push(embedModule(manifest, sha, own.wasm));
    } else {
      const before = carried.get(sha);
      if (before) modules.push(before);
    }
  }
  const out: PipelineDocument = { ...doc, modules };
  if (modules.length === 0) delete out.modules;
  return out;
}
