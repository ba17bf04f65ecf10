/**
 * Fingerprints of what a step's output depends on: its module (id, and the version and content
 * hash the host supplies as the step's *identity*), its params, the grants that change output
 * (clock, random and storage: real or deterministic values), for a source the file's identity
 * (also in the host-supplied identity), and, recursively, the fingerprints of whatever feeds its
 * inputs. Position, label, limits and other permissions do not change data, so they are left
 * out. The runtime keys its step-output cache by these (`src/runtime/cache.ts`); the editor
 * stores one with each preview and uses the preview's schema as `knownSchemas` only while the
 * fingerprint is unchanged (e.g. not after the CSV delimiter or the source file changed).
 */
import type { PipelineDocument, Step } from './types';

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

/** 64-bit FNV-1a offset basis and prime (http://www.isthe.com/chongo/tech/comp/fnv/). */
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/**
 * 64-bit FNV-1a of the UTF-16 code units of `text`, as 16 hex digits. Computed as two 32-bit
 * halves with plain numbers (BigInt per character is ~20× slower); the result equals the
 * BigInt definition (checked in the test).
 */
export function fnv1a64(text: string): string {
  // h = hi·2^32 + lo; the prime is 2^40 + 0x1b3, so h·p = h·0x1b3 + (lo << 40) mod 2^64.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const loP = lo * 0x1b3;
    const carry = Math.floor(loP / 0x100000000);
    const newLo = loP >>> 0;
    hi = (Math.imul(hi, 0x1b3) + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = newLo;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** The BigInt definition of {@link fnv1a64}, for its test. */
export function fnv1a64Reference(text: string): string {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * FNV_PRIME) & MASK_64;
  }
  return h.toString(16).padStart(16, '0');
}

/**
 * What the host knows about a step beyond the document, by step id: for a module step its
 * version and content hash (`filter@1.0.0#sha256:…`, from the pinned module once steps pin
 * one), for a source the file's identity and the columns it decodes. A step whose output differs
 * on every run (a real clock or random) gets an identity unique to the run. Absent: nothing.
 */
export type StepIdentities = Readonly<Record<string, string>>;

/** The grants whose values reach the module's output. */
function outputGrants(step: Step): Record<string, string> {
  const { clock, random, storage } = step.permissions;
  return { clock, random, storage };
}

/**
 * Step id → fingerprint (16 hex digits). Steps on a cycle, which cannot run, get a fingerprint
 * of their own content only.
 */
export function stepFingerprints(
  doc: PipelineDocument,
  identities: StepIdentities = {},
): Record<string, string> {
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
    const content = {
      module: step.moduleId,
      // A pinned (installed) module's binary is part of what the output depends on.
      pin: step.pin?.sha256 ?? null,
      identity: identities[id] ?? null,
      params: step.params,
      grants: outputGrants(step),
      // The runtime removes a bypassed step before fingerprinting; the editor's fingerprints
      // (which tell a result outdated) see the switch itself.
      bypass: step.bypass === true,
      inputs,
    };
    const fp = fnv1a64(canonicalJson(content));
    out[id] = fp;
    return fp;
  };
  for (const s of doc.steps) visit(s.id);
  return out;
}
