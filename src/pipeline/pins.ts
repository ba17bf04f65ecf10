/**
 * Pins: a step of an installed module records the module's version and sha256, and runs only
 * that binary. This file finds the steps whose pinned binary is not the one at hand, so the
 * editor can flag them and offer to install (the runtime refuses them on its own, in
 * `runtime/prepare.ts`).
 */
import type { ModulePin, PipelineDocument } from './types';

/** What the host has under a module id: a built-in, or an installed binary. */
export type ModuleOrigin =
  { kind: 'builtin' } | { kind: 'installed'; version: string; sha256: string };

/** A step that cannot run the binary it pins. */
export interface PinProblem {
  stepId: string;
  moduleId: string;
  /** `missing`: no module with that id here; `other-binary`: one with another sha256. */
  kind: 'missing' | 'other-binary';
  pin: ModulePin;
  /** The document carries the pinned binary (`modules`), so it can be installed from it. */
  embedded: boolean;
  /** A sentence for the step, e.g. `module "acme.head" 1.0.0 (sha256 1a2b3c4d…) is not installed`. */
  message: string;
}

/** The first 8 hex digits of a sha256, as shown to people. */
export function shortHash(sha256: string): string {
  return `${sha256.slice(0, 8)}…`;
}

/**
 * The pinned steps of `doc` whose binary is not at hand, in step order. `origin(moduleId)` says
 * what the host has; undefined when nothing. Steps without a pin are not checked (built-ins, and
 * unknown modules, which validation reports).
 */
export function checkPins(
  doc: PipelineDocument,
  origin: (moduleId: string) => ModuleOrigin | undefined,
): PinProblem[] {
  const carried = new Set((doc.modules ?? []).map((m) => m.sha256));
  const problems: PinProblem[] = [];
  for (const step of doc.steps) {
    const pin = step.pin;
    if (!pin) continue;
    const have = origin(step.moduleId);
    const wanted = `module "${step.moduleId}" ${pin.version} (sha256 ${shortHash(pin.sha256)})`;
    const base = {
      stepId: step.id,
      moduleId: step.moduleId,
      pin,
      embedded: carried.has(pin.sha256),
    };
    if (have === undefined) {
      problems.push({ ...base, kind: 'missing', message: `${wanted} is not installed` });
    } else if (have.kind === 'builtin') {
      problems.push({
        ...base,
        kind: 'other-binary',
        message: `${wanted} is pinned, but "${step.moduleId}" here is a built-in module`,
      });
    } else if (have.sha256 !== pin.sha256) {
      problems.push({
        ...base,
        kind: 'other-binary',
        message: `${wanted} is pinned, but the installed one is ${have.version} (sha256 ${shortHash(have.sha256)})`,
      });
    }
  }
  return problems;
}

/**
 * `doc` with the steps of `moduleId` that pin `fromSha256` pinned to `pin` instead (after the
 * user accepted an update of the module); the same object when no step changes.
 */
export function repinSteps(
  doc: PipelineDocument,
  moduleId: string,
  fromSha256: string,
  pin: ModulePin,
): PipelineDocument {
  const hit = (s: PipelineDocument['steps'][number]) =>
    s.moduleId === moduleId && s.pin?.sha256 === fromSha256;
  if (!doc.steps.some(hit)) return doc;
  return { ...doc, steps: doc.steps.map((s) => (hit(s) ? { ...s, pin } : s)) };
}
