/**
 * The "+" beside an output handle (as in n8n): opens the quick-add search, and the step picked
 * there is added beside this one, linked from this output.
 */
import { useEditorContext } from './context';
import './flows.css';

export function PortAdd({ stepId, port, top }: { stepId: string; port: string; top: number }) {
  const { openQuickAdd } = useEditorContext();
  return (
    <button
      type="button"
      className="port-add nodrag nopan"
      style={{ top }}
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
