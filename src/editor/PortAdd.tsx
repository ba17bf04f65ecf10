/**
 * The "+" beside an output handle (as in n8n): opens the quick-add search, and the step picked
 * there is added beside this one, linked from this output.
 */
import type { CSSProperties } from 'react';
import { useEditorContext } from './context';
import './flows.css';

export function PortAdd({
  stepId,
  port,
  style,
  vertical = false,
}: {
  stepId: string;
  port: string;
  /** Where its output's handle is (`top` beside a right-hand output, `left` on a bottom edge). */
  style: CSSProperties;
  /** Top-to-bottom layout: the "+" sits on the bottom edge, left of the output's handle. */
  vertical?: boolean;
}) {
  const { openQuickAdd } = useEditorContext();
  return (
    <button
      type="button"
      className={`port-add nodrag nopan${vertical ? ' vertical' : ''}`}
      style={style}
      aria-label={`Add a step after ${stepId} ${port}`}
      title="Add a step after this output"
      onClick={(e) => {
        e.stopPropagation();
        const r = e.currentTarget.getBoundingClientRect();
        openQuickAdd({ screen: { x: r.right + 8, y: r.top }, from: { step: stepId, port } });
      }}
    >
      +
    </button>
  );
}
