/**
 * The host `javascript` step (src/runtime/javascript/javascript.json): what the user's code
 * returns is known only by running it, so its output schema is the one seen in the last run;
 * before that it is unknown, and the inspector shows the columns inferred on a sample row
 * (src/runtime/javascript/check.ts). An unconnected input leaves it unknown for that reason.
 */
import { unknownSchema } from '../table-schema';
import { knownAfterReading, type SchemaRule } from './rule';

const afterRun = knownAfterReading('The JavaScript step’s');

export const javascriptRule: SchemaRule = (ctx) => {
  const input = ctx.inputs.in ?? unknownSchema('input "in" is not connected');
  if (!input.known && ctx.known?.out === undefined) return { outputs: { out: input }, issues: [] };
  return afterRun(ctx);
};
