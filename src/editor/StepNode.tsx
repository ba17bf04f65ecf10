/**
 * A step on the canvas: title, module name, one labelled handle per port, and its run state
 * (waiting, running with a progress bar, done with rows and ms, failed with the message,
 * skipped). Reads its run status itself so progress events re-render only this node.
 */
import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { PortSpec } from '../modules/manifest';
import { ChartThumb } from './ChartThumb';
import { useEditorContext } from './context';
import { useLongPress } from './longPress';
import { PortAdd } from './PortAdd';
import { useRunView, useStepStatus, type StepRunStatus } from './runState';
import { activeStatusText, formatBytes, sampledStatus } from './runStatusText';
import { portButton } from './portButton';
import './a11y.css';
import './words.css';

/** Data React Flow carries for a step node (derived from the document and the catalog). */
export type StepNodeData = {
  title: string;
  moduleName: string;
  category: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  /** Port picked by the first tap of a tap-tap connection, `in:<port>` or `out:<port>`. */
  pendingPort: string | null;
  /**
   * Validation problems of this step (missing input, bad params), one per line; the node shows
   * their count as a badge (the messages are in its tooltip, at the fields and in the toolbar's
   * Problems list), so a problem never makes the node taller.
   */
  problem: string | null;
  /** Its shown result is from before an edit (or not confirmed by the run under way). */
  outdated: boolean;
  /** Top-to-bottom layout (narrow screens): inputs on the top edge, outputs on the bottom. */
  vertical: boolean;
};

export type StepNodeType = Node<StepNodeData, 'step'>;

const fmt = new Intl.NumberFormat('en-US');

/** Ports sit below the title and module name, one every PORT_GAP_PX (px). */
const PORTS_TOP_PX = 62;
const PORT_GAP_PX = 24;
/** Room below the module name in a vertical layout (px), so the step is about 96 px tall. */
const VERTICAL_BODY_PX = 34;

function StatusLine({
  status,
  sampleRows,
  onDetails,
}: {
  status: StepRunStatus;
  /** Set when the result is a live preview's on a sample: its first input rows. */
  sampleRows: number | undefined;
  onDetails: () => void;
}) {
  if (status.state === 'done' && sampleRows !== undefined) {
    const { text, title } = sampledStatus(status.rows, sampleRows);
    return (
      <div className="node-status done sampled" title={title}>
        ◐ {text}
      </div>
    );
  }
  switch (status.state) {
    case 'idle':
      return null;
    case 'waiting':
      return <div className="node-status waiting">{activeStatusText(status)}</div>;
    case 'running':
      return (
        <div className="node-status running">
          <div className="progress" role="progressbar" aria-label="rows processed">
            <div className="progress-bar" />
          </div>
          <span>{activeStatusText(status)}</span>
        </div>
      );
    case 'done':
      return (
        <div className="node-status done">
          ✓{' '}
          {status.rows === 0 && status.bytes > 0
            ? formatBytes(status.bytes)
            : `${fmt.format(status.rows)} rows`}{' '}
          · {fmt.format(Math.round(status.ms))} ms
        </div>
      );
    case 'cached':
      return (
        <div
          className="node-status done cached"
          title="From the cache: rows and time of the run that produced it"
        >
          ↺ cached ·{' '}
          {status.rows === 0 && status.bytes > 0
            ? formatBytes(status.bytes)
            : `${fmt.format(status.rows)} rows`}{' '}
          · {fmt.format(Math.round(status.ms))} ms
        </div>
      );
    case 'failed':
      return (
        <button
          type="button"
          className="node-status failed nodrag"
          onClick={onDetails}
          title={`${status.message}\n(click for the full message and log)`}
        >
          {/* The message itself is in the Output panel and the Problems list: here a short
              mark keeps the node its size, and screen readers still hear the message. */}
          ✗ failed<span className="visually-hidden">: {status.message}</span>
        </button>
      );
    case 'skipped':
      return <div className="node-status skipped">skipped · {status.reason}</div>;
  }
}

/** The number of a step's problems; their messages in the tooltip and accessible name. */
function ProblemBadge({ problem }: { problem: string }) {
  const lines = problem.split('\n');
  const label = `${lines.length} ${lines.length === 1 ? 'problem' : 'problems'}: ${lines.join('; ')}`;
  return (
    <span className="step-badge" title={lines.join('\n')} aria-label={label} role="img">
      ⚠ {lines.length}
    </span>
  );
}

/**
 * Where a port's handle sits: down the left (inputs) or right (outputs) side below the title;
 * in a vertical layout spread along the top (inputs) or bottom (outputs) edge, so links run
 * downward from one step into the next.
 */
function handlePlace(kind: 'in' | 'out', index: number, count: number, vertical: boolean) {
  if (vertical) {
    const left = `${((index + 1) / (count + 1)) * 100}%`;
    return { position: kind === 'in' ? Position.Top : Position.Bottom, style: { left } };
  }
  const top = PORTS_TOP_PX + index * PORT_GAP_PX;
  return { position: kind === 'in' ? Position.Left : Position.Right, style: { top } };
}

function PortHandle({
  port,
  kind,
  index,
  count,
  vertical,
  stepId,
  pending,
}: {
  port: PortSpec;
  kind: 'in' | 'out';
  index: number;
  /** Ports on this side of the step. */
  count: number;
  vertical: boolean;
  stepId: string;
  pending: boolean;
}) {
  const { onPortTap } = useEditorContext();
  const { position, style } = handlePlace(kind, index, count, vertical);
  const label = `${kind === 'in' ? 'input' : 'output'} ${port.name} of ${stepId}`;
  return (
    <>
      <Handle
        id={port.name}
        type={kind === 'in' ? 'target' : 'source'}
        position={position}
        style={style}
        className={`port-handle${pending ? ' pending' : ''}`}
        {...portButton(label, pending, () => onPortTap(stepId, kind, port.name))}
        title={`${port.name} (${port.type})${port.description ? `: ${port.description}` : ''}`}
      />
      <span className={`port-label ${kind}${vertical ? ' vertical' : ''}`} style={style}>
        {port.name}
      </span>
      {kind === 'out' && (
        <PortAdd
          stepId={stepId}
          port={port.name}
          style={vertical ? { left: style.left, top: '100%' } : style}
          vertical={vertical}
        />
      )}
    </>
  );
}

function StepNodeImpl({ id, data, selected }: NodeProps<StepNodeType>) {
  const { runStore, showDetails, openStepMenu } = useEditorContext();
  const longPress = useLongPress((screen) => openStepMenu({ stepId: id, screen }));
  const status = useStepStatus(runStore, id);
  const started = useRunView(runStore, (v) => v.started[id] ?? 0);
  const sampleRows = useRunView(runStore, (v) =>
    v.previews[id]?.live ? v.previews[id].sampleRows : undefined,
  );
  // A vertical layout puts the ports on the edges, no rows of them inside the step; it keeps
  // the body tall enough that a tap in its middle is well clear of the 44 px handles.
  const portsHeight = data.vertical
    ? VERTICAL_BODY_PX
    : Math.max(data.inputs.length, data.outputs.length, 1) * PORT_GAP_PX;
  return (
    <div
      className={`step-node state-${status.state}${selected ? ' selected' : ''}${data.outdated ? ' outdated' : ''}`}
      style={{ minHeight: PORTS_TOP_PX + portsHeight }}
      data-testid={`step-${id}`}
      data-started={started}
      aria-label={`step ${id}`}
      {...longPress}
    >
      <div className="step-head">
        <span className={`cat-dot cat-${data.category}`} aria-hidden />
        <span className="step-title">{data.title}</span>
        {data.problem && <ProblemBadge problem={data.problem} />}
      </div>
      <div className="step-sub">{data.moduleName}</div>
      {!data.vertical && <div className="step-ports" style={{ height: portsHeight }} aria-hidden />}
      <ChartThumb stepId={id} />
      <StatusLine status={status} sampleRows={sampleRows} onDetails={() => showDetails(id)} />
      {data.outdated && status.state !== 'running' && (
        <div
          className="node-status outdated"
          title="The step or its input changed since this result"
        >
          outdated
        </div>
      )}
      {/* Vertical: the empty body goes last, so the output's "+" (on the bottom edge) covers
          no text, and the status line sits right under the module name. */}
      {data.vertical && <div className="step-ports" style={{ height: portsHeight }} aria-hidden />}
      {data.inputs.map((p, i) => (
        <PortHandle
          key={`in-${p.name}`}
          port={p}
          kind="in"
          index={i}
          count={data.inputs.length}
          vertical={data.vertical}
          stepId={id}
          pending={data.pendingPort === `in:${p.name}`}
        />
      ))}
      {data.outputs.map((p, i) => (
        <PortHandle
          key={`out-${p.name}`}
          port={p}
          kind="out"
          index={i}
          count={data.outputs.length}
          vertical={data.vertical}
          stepId={id}
          pending={data.pendingPort === `out:${p.name}`}
        />
      ))}
    </div>
  );
}

export const StepNode = memo(StepNodeImpl);
