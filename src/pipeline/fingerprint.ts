/**
 * Fingerprints of what a step's output depends on: its module, its params and, recursively,
 * the fingerprints of whatever feeds its inputs. Position, label, limits and permissions do not
 * change data, so they are left out. Store a fingerprint with a preview's schema and use the
 * schema as `knownSchemas` only while the fingerprint is unchanged (e.g. not after the CSV
 * delimiter or the source file changed).
 */
import type { PipelineDocument } from './types';

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/** 64-bit FNV-1a of the UTF-16 code units of `text`, as 16 hex digits (http://www.isthe.com/chongo/tech/comp/fnv/). */
function fnv1a64(text: string): string {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * FNV_PRIME) & MASK_64;
  }
  return h.toString(16).padStart(16, '0');
}

/**
 * Step id → fingerprint (16 hex digits). Steps on a cycle, which cannot run, get a fingerprint
 * of their own content only.
 */
export function stepFingerprints(doc: PipelineDocument): Record<string, string> {
  const byId = new Map(doc.steps.map((s) => [s.id, s]));
  const out: Record<string, string> = {};
  const visiting = new Set<string>();
  const visit = (id: string): string => {
    const done = out[id];
    if (done !== undefined) return done;
    const step = byId.get(id);
    if (!step) return 'missing';
    if (visiting.has(id)) return 'cycle';
    visiting.add(id);
    const inputs = doc.edges
      .filter((e) => e.to.step === id)
      .map((e) => [e.to.port, e.from.port, visit(e.from.step)])
      .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
    visiting.delete(id);
    // A pinned (installed) module's binary is part of what the output depends on; built-ins
    // change only with the app.
    const pin = step.pin ? { sha256: step.pin.sha256 } : {};
    const fp = fnv1a64(
      canonicalJson({ module: step.moduleId, ...pin, params: step.params, inputs }),
    );
    out[id] = fp;
    return fp;
  };
  for (const s of doc.steps) visit(s.id);
  return out;
}
