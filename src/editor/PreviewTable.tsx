/**
 * A step's output preview: total row count, each column's name and Arrow type, and the first
 * rows in a virtualized grid (only the visible rows are in the DOM, so a big preview is cheap).
 * Values read like a spreadsheet (`cellFormat.ts`): numbers right-aligned in tabular figures,
 * the full value on hover and on copy. Columns beyond the right edge are announced by a
 * "+N more columns" button that scrolls to them; the grid scrolls from the keyboard too.
 */
import { useRef, type ClipboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatColumnType } from '../pipeline/table-schema';
import { cellView, isNumericColumn } from './cellFormat';
import type { PreviewData } from './runState';
import { useHiddenColumns } from './useHiddenColumns';
import { initialScrollRect, observeRectAfterLayout, scrollUnlessFresh } from './virtualRect';
import './table.css';

/** Row height in px; fixed so the virtualizer needs no measuring. */
const ROW_HEIGHT_PX = 28;
const COL_WIDTH_PX = 140;

const fmt = new Intl.NumberFormat();

/**
 * Puts the full values of the selected cells on the clipboard (tab between cells, a line per
 * row, as spreadsheets paste them) instead of their shortened text.
 */
function copyFullValues(e: ClipboardEvent<HTMLElement>): void {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed) return;
  const lines: string[] = [];
  for (const row of e.currentTarget.querySelectorAll('[role="row"]')) {
    const cells = [...row.querySelectorAll<HTMLElement>('[data-full]')].filter((c) =>
      selection.containsNode(c, true),
    );
    if (cells.length > 0) lines.push(cells.map((c) => c.dataset.full).join('\t'));
  }
  if (lines.length === 0) return;
  e.clipboardData.setData('text/plain', lines.join('\n'));
  e.preventDefault();
}

export function PreviewTable({
  stepId,
  data,
  totalRows,
}: {
  stepId: string;
  data: PreviewData;
  /** Rows of the whole output, when known (the preview holds only the first ones). */
  totalRows: number | null;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: data.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 10,
    initialRect: initialScrollRect(),
    observeElementRect: observeRectAfterLayout,
    scrollToFn: scrollUnlessFresh,
  });
  const columns = data.schema.fields.length;
  const hidden = useHiddenColumns(scrollRef, columns, COL_WIDTH_PX);
  const numeric = data.schema.fields.map((c) => isNumericColumn(c.type));
  const width = Math.max(1, columns) * COL_WIDTH_PX;
  const shown = data.rows.length;
  const total = totalRows ?? shown;
  return (
    <div className="preview">
      <div className="preview-bar">
        <p className="preview-summary" role="status">
          <strong>{fmt.format(total)}</strong> rows
          {shown < total ? ` (first ${fmt.format(shown)} shown)` : ''} · {columns} columns
        </p>
        {hidden.count > 0 && (
          <button
            type="button"
            className="more-columns"
            onClick={hidden.showNext}
            title="Scroll right to the hidden columns"
          >
            +{hidden.count} more {hidden.count === 1 ? 'column' : 'columns'} →
          </button>
        )}
      </div>
      <div
        className="preview-scroll"
        ref={scrollRef}
        role="region"
        aria-label={`Data of ${stepId}, scrollable`}
        tabIndex={0}
        onCopy={copyFullValues}
      >
        <div role="table" aria-label={`Output of ${stepId}`} aria-rowcount={total + 1}>
          <div role="rowgroup" className="preview-head" style={{ width }}>
            <div role="row" className="preview-row" aria-rowindex={1}>
              {data.schema.fields.map((c, ci) => (
                <div
                  role="columnheader"
                  key={c.name}
                  className={`preview-cell${numeric[ci] ? ' num' : ''}`}
                  style={{ width: COL_WIDTH_PX }}
                  title={`${c.name}: ${formatColumnType(c.type)}`}
                >
                  <span className="col-name">{c.name}</span>
                  <span className="col-type">{formatColumnType(c.type)}</span>
                </div>
              ))}
            </div>
          </div>
          <div
            role="rowgroup"
            style={{ height: virtualizer.getTotalSize(), width, position: 'relative' }}
          >
            {virtualizer.getVirtualItems().map((vr) => {
              const row = data.rows[vr.index] ?? [];
              return (
                <div
                  role="row"
                  key={vr.key}
                  aria-rowindex={vr.index + 2}
                  className="preview-row"
                  style={{
                    position: 'absolute',
                    top: 0,
                    transform: `translateY(${vr.start}px)`,
                    height: ROW_HEIGHT_PX,
                  }}
                >
                  {data.schema.fields.map((c, ci) => {
                    const cell = cellView(row[ci], c.type);
                    return (
                      <div
                        role="cell"
                        key={c.name}
                        className={`preview-cell${cell.numeric ? ' num' : ''}${
                          row[ci] === null || row[ci] === undefined ? ' null' : ''
                        }`}
                        style={{ width: COL_WIDTH_PX }}
                        title={cell.full === '' ? 'null' : cell.full}
                        data-full={cell.full}
                      >
                        {cell.text}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
