/**
 * `setia flows check [dir]`: every problem as `file:line:col: message` (catalogue rows as `file:LINE: message`),
 * then what loaded; exit 1 on any error. A bad catalogue row is an error here, though the bot keeps the other rows.
 */
import { FlowLoadError } from '../errors.js';
import { loadFlows } from '../flows/load.js';

export function flowsCheck(dir: string, out: NodeJS.WritableStream = process.stdout): number {
  try {
    const { flows, warnings: problems } = loadFlows(dir);
    problems.forEach((p) => out.write(`${p.message}\n`));
    const errors = problems.filter((p) => p.severity === 'error').length;
    const triggers = flows.triggers.length;
    const rules = flows.checkins.rules.length;
    const { catalog } = flows;
    const products = catalog.file ? `, ${catalog.products.length} product(s) in ${catalog.file}` : '';
    const verdict = errors ? `${errors} error(s) in the catalogue (those rows are left out)` : 'no errors';
    out.write(`${dir}: ${flows.flows.size} flows, ${triggers} triggers, ${rules} check-in rule(s)${products}: ${verdict}, ${problems.length - errors} warning(s)\n`);
    return errors ? 1 : 0;
  } catch (error) {
    if (!(error instanceof FlowLoadError)) throw error;
    error.problems.forEach((p) => out.write(`${p.message}\n`));
    const errors = error.problems.filter((p) => p.severity === 'error').length;
    out.write(`${dir}: ${errors} error(s), ${error.problems.length - errors} warning(s); fix the errors and run this again\n`);
    return 1;
  }
}
