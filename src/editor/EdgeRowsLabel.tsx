/**
 * A link's label (its row count, "1,461 rows") drawn at its middle without measuring anything.
 * React Flow's own edge label measures its text (`getBBox`) when it appears, which forces a
 * layout of the page inside the commit of the run event that brought the count: 15-120 ms of
 * the main thread on a first run (CPU at 1/4). Here the text is centred by `text-anchor` and
 * `dominant-baseline`, and a halo in the label background colour (`edgeLabel.css`) stands in
 * for the measured background rectangle.
 */
import type { ReactNode } from 'react';
import './edgeLabel.css';

/** The label `label` centred on (`x`, `y`), in flow coordinates (px). */
export function EdgeRowsLabel({ x, y, label }: { x: number; y: number; label: ReactNode }) {
  return (
    <g className="react-flow__edge-textwrapper">
      <text
        x={x}
        y={y}
        textAnchor="middle"
        dominantBaseline="central"
        className="react-flow__edge-text edge-label-halo"
      >
        {label}
      </text>
    </g>
  );
}
