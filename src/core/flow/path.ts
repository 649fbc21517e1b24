/** Walking step lists by StepPath: the step at a position, and the position that follows it. */
import type { Step, StepPath } from './types.js';

/** The step list a branch of a step leads into, if the step has that branch. */
function branch(step: Step | undefined, name: string): Step[] | undefined {
  if (step === undefined || typeof step === 'string') return undefined;
  if (name === 'then' && 'if' in step) return step.then;
  if (name === 'else' && 'if' in step) return step.else;
  if (name.startsWith('option:') && 'menu' in step) return step.options[Number(name.slice(7))]?.steps;
  return undefined;
}

/** The list that holds the last index of the path. */
function listAt(steps: Step[], path: StepPath): Step[] | undefined {
  let list: Step[] | undefined = steps;
  for (let i = 0; i + 1 < path.length && list; i += 2) {
    list = branch(list[path[i] as number], path[i + 1] as string);
  }
  return list;
}

export function stepAt(steps: Step[], path: StepPath): Step | undefined {
  return listAt(steps, path)?.[path.at(-1) as number];
}

/** The position after `path`: the next step in the same list, else after the enclosing step; null at the end. */
export function nextPath(steps: Step[], path: StepPath): StepPath | null {
  let next = [...path.slice(0, -1), (path.at(-1) as number) + 1];
  while (next.length > 1 && stepAt(steps, next) === undefined) {
    next = next.slice(0, -2);
    next[next.length - 1] = (next.at(-1) as number) + 1;
  }
  return stepAt(steps, next) === undefined ? null : next;
}
