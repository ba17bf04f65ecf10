/**
 * A group on the canvas. Expanded: a titled frame drawn around its steps (only the title bar
 * takes clicks and drags, so the steps inside and the canvas behind stay usable). Collapsed: a
 * compact box with one input and one output handle, where the links from and to its hidden
 * steps attach. The title bar collapses or expands it, retitles it and runs it ("Run group":
 * its steps and what they need upstream).
 */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { updateGroup } from '../../pipeline/groups';
import { useEditorContext } from '../context';
import { useRunView } from '../runState';
import { COLLAPSED_IN, COLLAPSED_OUT, type GroupNodeType } from './canvasItems';
import { groupRunSummary } from './runSummary';
import './groups.css';

function GroupNodeImpl({ id, data, selected }: NodeProps<GroupNodeType>) {
  const { store, runStore, runSteps } = useEditorContext();
  const { title, collapsed, steps } = data;
  const summary = useRunView(runStore, (v) => groupRunSummary(v, steps));
  const name = title || 'untitled group';
  return (
    <div
      className={`group-box${collapsed ? ' collapsed' : ''}${selected ? ' selected' : ''}`}
      data-testid={`group-${id}`}
    >
      <div className="group-header">
        <button
          type="button"
          className="group-toggle nodrag"
          aria-expanded={!collapsed}
          aria-label={`${collapsed ? 'Expand' : 'Collapse'} group ${name}`}
          title={collapsed ? 'Expand: show its steps' : 'Collapse into one box'}
          onClick={() => store.edit((d) => updateGroup(d, id, { collapsed: !collapsed }))}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        <input
          className="group-title nodrag"
          aria-label={`Title of group ${name}`}
          value={title}
          placeholder="Group title"
          onChange={(e) =>
            store.edit((d) => updateGroup(d, id, { title: e.target.value }), `group-title:${id}`)
          }
        />
        {runSteps && (
          <button
            type="button"
            className="group-run nodrag"
            aria-label={`Run group ${name}`}
            title="Run the steps of this group and what they need upstream"
            onClick={() => runSteps(steps)}
          >
            ▶ Run
          </button>
        )}
      </div>
      {collapsed && (
        <>
          <div className="group-count" role="status">
            {summary}
          </div>
          <Handle
            id={COLLAPSED_IN}
            type="target"
            position={Position.Left}
            isConnectable={false}
            className="group-handle"
          />
          <Handle
            id={COLLAPSED_OUT}
            type="source"
            position={Position.Right}
            isConnectable={false}
            className="group-handle"
          />
        </>
      )}
    </div>
  );
}

export const GroupNode = memo(GroupNodeImpl);
