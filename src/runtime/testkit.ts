/**
 * For tests only: a Node host whose catalog also holds the runtime's misbehaving fixture
 * modules (test-fixtures/runtime/*.c, built at test time), and a small document builder.
 */
import { createCatalog } from '../modules/catalog';
import type { ModuleManifest } from '../modules/manifest';
import type { Edge, PipelineDocument, Step } from '../pipeline/types';
import { fixtureWasm } from '../../test-fixtures/runtime/build';
import { nodeHost, type NodeHost } from './node-host';

/**
 * Fixture module ids (`test-fixtures/runtime/<id>.c`): each one arrow input and output.
 * `reactor` is an ABI v2 module; `reactor-stream` is the same binary declared streamable.
 */
export const FIXTURES = ['loop', 'grow', 'forbidden', 'trap', 'reactor', 'reactor-stream'] as const;

function fixtureManifest(id: string): ModuleManifest {
  return {
    abi: id.startsWith('reactor') ? 2 : 1,
    id,
    name: `fixture ${id}`,
    version: '0.0.1',
    description: `test fixture test-fixtures/runtime/${id}.c`,
    category: 'test',
    inputs: [{ name: 'in', type: 'arrow' }],
    outputs: [{ name: 'out', type: 'arrow' }],
    params: { type: 'object' },
    permissions: {},
    streamable: id === 'reactor-stream',
    limits: { timeoutMs: 60000, maxMemoryMiB: 256 },
  };
}

/** {@link nodeHost} plus the fixture modules. */
export async function testHost(): Promise<NodeHost> {
  const host = await nodeHost();
  const entries = [...host.catalog.list(), ...FIXTURES.map(fixtureManifest)].map((manifest) => ({
    manifest,
    fileName: `${manifest.id}.json`,
  }));
  const fixtures: readonly string[] = FIXTURES;
  return {
    ...host,
    catalog: createCatalog(entries),
    loadModule: async (id) =>
      fixtures.includes(id) ? fixtureWasm(id.replace(/-stream$/, '')) : host.loadModule(id),
  };
}

/** A step with nothing granted and the given limits. */
export function step(
  id: string,
  moduleId: string,
  params: Record<string, unknown> = {},
  limits = { timeoutMs: 60000, maxMemoryMiB: 256 },
): Step {
  return {
    id,
    moduleId,
    params,
    permissions: { storage: 'none', clock: 'none', random: 'none' },
    limits,
    position: { x: 0, y: 0 },
  };
}

/** An edge `from.port → to.port` (ports default to `out` and `in`). */
export function edge(from: string, to: string, fromPort = 'out', toPort = 'in'): Edge {
  return {
    id: `${from}-${to}`,
    from: { step: from, port: fromPort },
    to: { step: to, port: toPort },
  };
}

/** A pipeline document of `steps` and `edges`. */
export function pipeline(steps: Step[], edges: Edge[]): PipelineDocument {
  return { format: 'quiver-pipeline', version: 4, id: 'test', name: 'test', steps, edges };
}
