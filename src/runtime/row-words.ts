/**
 * Step errors in words: a module's row fault (`filter: expression "x * 2 > 1", batch 2:
 * expression: int64 overflow (4611686018427387904 * 2) at row 4 of the batch (qv_push returned
 * 2)`, the wording of modules/filter, modules/derive and modules/sdk/expr_fault.c) becomes
 * `row 1,005 of the input: int64 overflow (4611686018427387904 * 2) in \`x * 2 > 1\``, the row
 * counted across record batches from 1 and the value(s) as the module wrote them; the ABI's
 * status and exit-code suffixes, which say nothing to a user, are dropped when a message
 * explains the failure.
 */

/** Where each record batch an instance was given starts in the step's input (0-based rows). */
export class BatchStarts {
  private readonly starts: number[] = [];
  private rows = 0;

  /** Counts a record batch of `rows` rows given to the step; `ownBatch`: to this instance. */
  add(rows: number, ownBatch = true): void {
    if (ownBatch) this.starts.push(this.rows);
    this.rows += rows;
  }

  /** The input row (0-based) where this instance's `batch`-th batch (0-based) started. */
  startOf(batch: number): number | undefined {
    return this.starts[batch];
  }
}

const fmt = new Intl.NumberFormat('en-US');

/** `<module>: expression "<source>", batch <b>: expression: <what> (<value>) at row <r> of the
 * batch` (`<what>` takes the value along). */
const ROW_FAULT =
  /^(?:error: )?[\w.-]+: expression "((?:[^"\\]|\\.)*)", batch (\d+): (?:expression: |[a-z_]+: )?(.+?) at row (\d+) of the batch/s;
/** Suffixes of the ABI that only repeat that the step failed. */
const STATUS_SUFFIX = / \((?:qv_\w+ returned(?: status)? \d+|exited with code \d+)\)$/;

/**
 * `message` in words: a row fault names the input row (1-based, across batches when `starts`
 * knows where the batch began; else the batch and its row), the fault and the expression;
 * any message loses a leading `error: ` and a trailing status code.
 */
export function wordStepError(message: string, starts?: BatchStarts): string {
  const fault = ROW_FAULT.exec(message);
  if (fault) {
    const [, source, batch, what, row] = fault;
    const start = starts?.startOf(Number(batch));
    const where =
      start === undefined
        ? `row ${fmt.format(Number(row) + 1)} of record batch ${fmt.format(Number(batch) + 1)}`
        : `row ${fmt.format(start + Number(row) + 1)} of the input`;
    return `${where}: ${what} in \`${JSON.parse(`"${source}"`) as string}\``;
  }
  const plain = message.replace(/^error: /, '');
  const bare = plain.replace(STATUS_SUFFIX, '');
  return bare.trim() === '' ? plain : bare;
}
