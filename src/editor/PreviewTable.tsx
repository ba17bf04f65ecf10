/**
 * A step's output preview: total row count, each column's name and Arrow type, and the first
 * rows in a virtualized grid (only the visible rows are in the DOM, so a big preview is cheap).
 */
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatColumnType, type ColumnType } from '../pipeline/table-schema';
import type { PreviewData } from './runState';

/** Row height in px; fixed so the virtualizer needs no measuring. */
const ROW_HEIGHT_PX = 28;
const COL_WIDTH_PX = 140;

const fmt = new Intl.NumberFormat('en-US');

/**
 * Text of one cell. Dates and timestamps may arrive as epoch milliseconds (apache-arrow's
 * JS values): shown as ISO 8601 in UTC, by the column's Arrow type.
 */
function cellText(v: unknown, type: ColumnType): string {
  if (v === null || v === undefined) return '∅';
  const kind = type.type === 'dictionary' ? type.value.type : type.type;
  if (typeof v === 'number' && (kind === 'date32' || kind === 'date64')) {
    return new Date(v).toISOString().slice(0, 10);
  }
  if (typeof v === 'number' && kind === 'timestamp') return new Date(v).toISOString();
  if (typeof v === 'number') {
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10)));
  }
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
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
  });
  const width = Math.max(1, data.schema.fields.length) * COL_WIDTH_PX;
  const shown = data.rows.length;
  const total = totalRows ?? shown;
  return (
    <div className="preview">
      <p className="preview-summary" role="status">
        <strong>{fmt.format(total)}</strong> rows
        {shown < total ? ` (first ${fmt.format(shown)} shown)` : ''} · {data.schema.fields.length}{' '}
        columns
      </p>
      <div
        className="preview-scroll"
        ref={scrollRef}
        role="table"
        aria-label={`Output of ${stepId}`}
        aria-rowcount={total + 1}
      >
        <div role="rowgroup" className="preview-head" style={{ width }}>
          <div role="row" className="preview-row" aria-rowindex={1}>
            {data.schema.fields.map((c) => (
              <div
                role="columnheader"
                key={c.name}
                className="preview-cell"
                style={{ width: COL_WIDTH_PX }}
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
                {data.schema.fields.map((c, ci) => (
                  <div
                    role="cell"
                    key={c.name}
                    className="preview-cell"
                    style={{ width: COL_WIDTH_PX }}
                  >
                    {cellText(row[ci], c.type)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
