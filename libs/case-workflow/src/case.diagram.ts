import type { AnyStateNode } from 'xstate';
import { caseMachine } from './case.machine';

/**
 * The state diagram of the case machine as Mermaid, generated from the machine itself (states,
 * their Chinese names, and every transition with a target), so the README cannot drift from it.
 */
export function caseStateDiagram(): string {
  const lines: string[] = ['stateDiagram-v2'];
  const name = (node: AnyStateNode) => node.path.join('_');
  const walk = (node: AnyStateNode, indent: string) => {
    const children = Object.values(node.states) as AnyStateNode[];
    for (const child of children) {
      lines.push(`${indent}${name(child)} : ${child.key} ${child.description ?? ''}`.trimEnd());
    }
    if (node.initial?.target?.length) lines.push(`${indent}[*] --> ${name(node.initial.target[0] as AnyStateNode)}`);
    for (const child of children) {
      if (Object.keys(child.states).length > 0) {
        lines.push(`${indent}state ${name(child)} {`);
        walk(child, `${indent}  `);
        lines.push(`${indent}}`);
      }
      const edges = new Set<string>();
      for (const [eventType, transitions] of child.transitions) {
        for (const t of transitions)
          for (const target of t.target ?? []) edges.add(`${name(child)} --> ${name(target as AnyStateNode)} : ${eventType}`);
      }
      for (const t of child.always ?? [])
        for (const target of t.target ?? []) edges.add(`${name(child)} --> ${name(target as AnyStateNode)} : (automatic)`);
      lines.push(...[...edges].map((e) => `${indent}${e}`));
      if (child.type === 'final') lines.push(`${indent}${name(child)} --> [*]`);
    }
  };
  walk(caseMachine.root, '  ');
  return lines.join('\n');
}
