// The TODO inventory: output blocks still waiting for a real run to fill them.
import type { Runbook } from '../model.ts';

export interface Todo {
  file: string;
  line: number;
  stepId: string;
  kind: 'expect-output' | 'output';
}

export function findTodos(runbook: Runbook): Todo[] {
  const todos: Todo[] = [];
  for (const step of runbook.steps) {
    for (const block of [step.expect, step.output]) {
      if (block?.todo) todos.push({ file: block.position.file, line: block.position.line, stepId: step.id, kind: block.kind });
    }
  }
  return todos;
}
