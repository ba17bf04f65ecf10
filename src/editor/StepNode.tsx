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
import { activeStatusText, formatBytes } from './runStatusText';
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
};

export type StepNodeType = Node<StepNodeData, 'step'>;

const fmt = new Intl.NumberFormat('en-US');

/** Ports sit below the title and module name, one every PORT_GAP_PX (px). */
const PORTS_TOP_PX = 62;
const PORT_GAP_PX = 24;

function StatusLine({ status, onDetails }: { status: StepRunStatus; onDetails: () => void }) {
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

function PortHandle({
  port,
  kind,
  index,
  stepId,
  pending,
}: {
  port: PortSpec;
  kind: 'in' | 'out';
  index: number;
  stepId: string;
  pending: boolean;
}) {
  const { onPortTap } = useEditorContext();
  const top = PORTS_TOP_PX + index * PORT_GAP_PX;
  const label = `${kind === 'in' ? 'input' : 'output'} ${port.name} of ${stepId}`;
  return (
    <>
      <Handle
        id={port.name}
        type={kind === 'in' ? 'target' : 'source'}
        position={kind === 'in' ? Position.Left : Position.Right}
        style={{ top }}
        className={`port-handle${pending ? ' pending' : ''}`}
        {...portButton(label, pending, () => onPortTap(stepId, kind, port.name))}
        title={`${port.name} (${port.type})${port.description ? `: ${port.description}` : ''}`}
      />
      <span className={`port-label ${kind}`} style={{ top }}>
        {port.name}
      </span>
      {kind === 'out' && <PortAdd stepId={stepId} port={port.name} top={top} />}
    </>
  );
}

function StepNodeImpl({ id, data, selected }: NodeProps<StepNodeType>) {
  const { runStore, showDetails, openStepMenu } = useEditorContext();
  const longPress = useLongPress((screen) => openStepMenu({ stepId: id, screen }));
  const status = useStepStatus(runStore, id);
  const started = useRunView(runStore, (v) => v.started[id] ?? 0);
  const rowsOfPorts = Math.max(data.inputs.length, data.outputs.length, 1);
  const portsHeight = rowsOfPorts * PORT_GAP_PX;
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
      <div className="step-ports" style={{ height: portsHeight }} aria-hidden />
      <ChartThumb stepId={id} />
      <StatusLine status={status} onDetails={() => showDetails(id)} />
      {data.outdated && status.state !== 'running' && (
        <div
          className="node-status outdated"
          title="The step or its input changed since this result"
        >
          outdated
        </div>
      )}
      {data.inputs.map((p, i) => (
        <PortHandle
          key={`in-${p.name}`}
          port={p}
          kind="in"
          index={i}
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
          stepId={id}
          pending={data.pendingPort === `out:${p.name}`}
        />
      ))}
    </div>
  );
}

export const StepNode = memo(StepNodeImpl);
