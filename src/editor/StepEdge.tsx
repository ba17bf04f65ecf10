/**
 * A link between steps. Forward links (the input lies ahead of the output in the flow's
 * direction) are the usual bezier curve. A link running backwards, as from the end of one row
 * of a wrapped pipeline to the start of the next, would make a bezier swing out in a loop
 * around both steps and off the canvas; it is drawn as right-angled steps through the gap
 * between the rows instead, staying within the steps' own bounds plus ROUTE_OFFSET_PX.
 */
import {
  BaseEdge,
  getBezierPath,
  getSmoothStepPath,
  Position,
  type EdgeProps,
} from '@xyflow/react';

/** How far a backward link runs straight out of its handle before it turns (flow px). */
const ROUTE_OFFSET_PX = 20;

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

/** React Flow edge type `step`: bezier forward, right-angled backward. */
export function StepEdge(props: EdgeProps) {
  const geometry = {
    sourceX: props.sourceX,
    sourceY: props.sourceY,
    sourcePosition: props.sourcePosition,
    targetX: props.targetX,
    targetY: props.targetY,
    targetPosition: props.targetPosition,
  };
  const [path, labelX, labelY] = runsBackward(props)
    ? getSmoothStepPath({ ...geometry, borderRadius: 10, offset: ROUTE_OFFSET_PX })
    : getBezierPath(geometry);
  return (
    <BaseEdge
      id={props.id}
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={props.label}
      labelStyle={props.labelStyle}
      labelShowBg={props.labelShowBg}
      labelBgStyle={props.labelBgStyle}
      labelBgPadding={props.labelBgPadding}
      labelBgBorderRadius={props.labelBgBorderRadius}
      markerEnd={props.markerEnd}
      style={props.style}
      interactionWidth={props.interactionWidth}
    />
  );
}
