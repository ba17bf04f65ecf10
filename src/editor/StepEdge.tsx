/**
 * A link between steps. Forward links (the input lies ahead of the output in the flow's
 * direction) are the usual bezier curve. A link running backwards, as from the end of one row
 * of a wrapped pipeline to the start of the next, would make a bezier swing out in a loop
 * around both steps and off the canvas; it is drawn as right-angled steps through the middle
 * of the gap between the rows instead, staying within the steps' own bounds
 * plus ROUTE_OFFSET_PX.
 */
import {
  BaseEdge,
  getBezierPath,
  getSmoothStepPath,
  Position,
  useInternalNode,
  type EdgeProps,
} from '@xyflow/react';
import { EdgeRowsLabel } from './EdgeRowsLabel';
import { COARSE_POINTER } from './pointer';

/** How far a backward link runs straight out of its handle before it turns (flow px). */
const ROUTE_OFFSET_PX = 20;

/**
 * On touch screens a handle is a 48 px target with its 20 px ring drawn 14 px inside
 * (styles.css); React Flow ends a link at the target's edge, so the link is drawn to the ring.
 */
const TOUCH_RING_INSET_PX = 14;

/** The point `inset` flow px from (x, y) towards the node a handle on side `position` sits on. */
export function towardsNode(
  x: number,
  y: number,
  position: Position,
  inset: number,
): { x: number; y: number } {
  switch (position) {
    case Position.Right:
      return { x: x - inset, y };
    case Position.Left:
      return { x: x + inset, y };
    case Position.Bottom:
      return { x, y: y - inset };
    case Position.Top:
      return { x, y: y + inset };
  }
}

/** True when the target lies behind the source along the direction its output faces. */
export function runsBackward(
  p: Pick<EdgeProps, 'sourceX' | 'sourceY' | 'targetX' | 'targetY' | 'sourcePosition'>,
): boolean {
  switch (p.sourcePosition) {
    case Position.Right:
      return p.targetX < p.sourceX + ROUTE_OFFSET_PX;
    case Position.Bottom:
      return p.targetY < p.sourceY + ROUTE_OFFSET_PX;
    case Position.Left:
      return p.targetX > p.sourceX - ROUTE_OFFSET_PX;
    case Position.Top:
      return p.targetY > p.sourceY - ROUTE_OFFSET_PX;
  }
}

/** A node's extent along one axis (flow px). */
interface Span {
  start: number;
  end: number;
}

/**
 * Where a backward link crosses over, along the axis across the flow: the middle of the gap
 * between the two steps (the gutter between two wrapped rows), or just past both when they
 * overlap along that axis. Undefined (React Flow's default, halfway between the handles) when
 * a step is not measured yet.
 */
export function crossing(source: Span | null, target: Span | null): number | undefined {
  if (!source || !target) return undefined;
  if (target.start >= source.end) return (source.end + target.start) / 2;
  if (source.start >= target.end) return (target.end + source.start) / 2;
  return Math.max(source.end, target.end) + ROUTE_OFFSET_PX;
}

/** The extent of node `id` across a flow running `horizontal`ly (flow px), if measured. */
function useSpan(id: string, horizontal: boolean): Span | null {
  const node = useInternalNode(id);
  const size = horizontal ? node?.measured.height : node?.measured.width;
  if (!node || !size) return null;
  const start = horizontal ? node.internals.positionAbsolute.y : node.internals.positionAbsolute.x;
  return { start, end: start + size };
}

/** React Flow edge type `step`: bezier forward, right-angled backward. */
export function StepEdge(props: EdgeProps) {
  const horizontal =
    props.sourcePosition === Position.Right || props.sourcePosition === Position.Left;
  const middle = crossing(useSpan(props.source, horizontal), useSpan(props.target, horizontal));
  const inset = COARSE_POINTER ? TOUCH_RING_INSET_PX : 0;
  const source = towardsNode(props.sourceX, props.sourceY, props.sourcePosition, inset);
  const target = towardsNode(props.targetX, props.targetY, props.targetPosition, inset);
  const geometry = {
    sourceX: source.x,
    sourceY: source.y,
    sourcePosition: props.sourcePosition,
    targetX: target.x,
    targetY: target.y,
    targetPosition: props.targetPosition,
  };
  const [path, labelX, labelY] = runsBackward(props)
    ? getSmoothStepPath({
        ...geometry,
        borderRadius: 10,
        offset: ROUTE_OFFSET_PX,
        ...(horizontal ? { centerY: middle } : { centerX: middle }),
      })
    : getBezierPath(geometry);
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        style={props.style}
        interactionWidth={props.interactionWidth}
      />
      {props.label != null && <EdgeRowsLabel x={labelX} y={labelY} label={props.label} />}
    </>
  );
}
