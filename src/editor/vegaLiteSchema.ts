/**
 * Vega-Lite's JSON Schema in the editor: fetched (a chunk of its own) the first time a chart
 * step of the document has its own spec, so that the schema rule checks the spec by path.
 */
import { useEffect, useState } from 'react';
import { hasVegaLiteSchema, loadVegaLiteSchema, needsVegaLiteSchema } from '../pipeline/chart-spec';
import type { PipelineDocument } from '../pipeline/types';

/** Whether specs are checked against the schema yet; re-renders the caller once they are. */
export function useVegaLiteSchema(doc: PipelineDocument): boolean {
  const needed = needsVegaLiteSchema(doc);
  const [loaded, setLoaded] = useState(hasVegaLiteSchema);
  useEffect(() => {
    if (!needed || loaded) return;
    let current = true;
    loadVegaLiteSchema().then(
      () => current && setLoaded(true),
      // Not loaded (offline before any visit): the spec is still checked as JSON, and Vega
      // names what it cannot draw in the output panel.
      (error: Error) => console.warn(`Vega-Lite's schema did not load: ${error.message}`),
    );
    return () => {
      current = false;
    };
  }, [needed, loaded]);
  return loaded;
}
