/** Groups and sticky notes on the canvas: what the canvas plugs in (see `canvasItems.ts`). */
import { GroupNode } from './GroupNode';
import { NoteNode } from './NoteNode';

export { organiseCanvas, useCanvasItemChanges } from './canvasItems';
export type { GroupNodeType, NoteNodeType } from './canvasItems';
export { OrganizeBar } from './OrganizeBar';

/** React Flow node types of groups and notes, beside the canvas's `step`. */
export const organiserNodeTypes = { stepGroup: GroupNode, note: NoteNode };
