/**
 * The document's check as the editor shows it: validation (with known schemas) plus module pin
 * problems, one message per step.
 */
import { useMemo } from 'react';
import { checkPins, type ModuleOrigin, type PinProblem } from '../pipeline/pins';
import type { PipelineDocument } from '../pipeline/types';
import type { PipelineCheck } from '../pipeline/validate';
import { problemsByStep, usePipelineCheck } from './derived';
import type { Catalog } from './docOps';
import type { RunStore } from './runState';

export interface EditorProblems {
  check: PipelineCheck;
  pinProblems: PinProblem[];
  /** One message per step id (a pin problem wins over a validation problem). */
  problems: ReadonlyMap<string, string>;
}

export function useProblems(
  doc: PipelineDocument,
  catalog: Catalog,
  runStore: RunStore,
  origin: (moduleId: string) => ModuleOrigin | undefined,
): EditorProblems {
  const check = usePipelineCheck(doc, catalog, runStore);
  const pinProblems = useMemo(() => checkPins(doc, origin), [doc, origin]);
  const problems = useMemo(() => {
    const map = new Map(problemsByStep(check));
    for (const p of pinProblems) map.set(p.stepId, p.message);
    return map;
  }, [check, pinProblems]);
  return { check, pinProblems, problems };
}
