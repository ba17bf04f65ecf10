/**
 * Defaults for a new step: parameters from the params schema's `default`s, every permission
 * denied, and the manifest's limits.
 */
import type { GrantedPermissions, ModuleManifest, StepLimits } from './manifest';

/** Everything denied: the sandbox starts empty (DESIGN.md, "Permissions and limits"). */
export function defaultPermissions(): GrantedPermissions {
  return { storage: 'none', clock: 'none', random: 'none' };
}

/** The manifest's default limits, copied. */
export function defaultLimits(manifest: ModuleManifest): StepLimits {
  return { timeoutMs: manifest.limits.timeoutMs, maxMemoryMiB: manifest.limits.maxMemoryMiB };
}

type Schema = Record<string, unknown>;

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The value a JSON Schema gives by default: its `default` (deep-copied), else its `const`, else
 * for an object schema the object of its properties that have a default (recursively); else
 * undefined. Fields with no default stay absent, so a new step may be invalid until the user
 * fills them (e.g. filter's `expression`), which validation then reports by name.
 */
export function defaultFromSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return undefined;
  if ('default' in schema) return structuredClone(schema.default);
  if ('const' in schema) return structuredClone(schema.const);
  const props = schema.properties;
  if (!isSchema(props)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, sub] of Object.entries(props)) {
    const v = defaultFromSchema(sub);
    if (v !== undefined) out[name] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Default params for a new step of `manifest` (always an object). */
export function defaultParams(manifest: ModuleManifest): Record<string, unknown> {
  const v = defaultFromSchema(manifest.params);
  return isSchema(v) ? v : {};
}
