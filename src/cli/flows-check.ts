/** `setia flows check [dir]`: every problem as `file:line:col: message`; exit 1 on any error. */
import { FlowLoadError } from '../errors.js';
import { loadFlows } from '../flows/load.js';

export function flowsCheck(dir: string, out: NodeJS.WritableStream = process.stdout): number {
  try {
    const { flows, warnings } = loadFlows(dir);
    warnings.forEach((w) => out.write(`${w.message}\n`));
    const triggers = flows.triggers.length;
    const rules = flows.checkins.rules.length;
    out.write(`${dir}: ${flows.flows.size} flows, ${triggers} triggers, ${rules} check-in rule(s): no errors, ${warnings.length} warning(s)\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof FlowLoadError)) throw error;
    error.problems.forEach((p) => out.write(`${p.message}\n`));
    const errors = error.problems.filter((p) => p.severity === 'error').length;
    out.write(`${dir}: ${errors} error(s), ${error.problems.length - errors} warning(s); fix the errors and run this again\n`);
    return 1;
  }
}
