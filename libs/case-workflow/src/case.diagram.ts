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

/**
 * The exemption procedure (尽职免责) as Mermaid, generated from the machine: the review's states and
 * every event each accepts — those that move it (with their target) and those recorded in place
 * (drawn as a loop) — and how a closed review is reopened. The README's exemption section shows it.
 */
export function exemptionProcedureDiagram(): string {
  const lines: string[] = ['stateDiagram-v2', '  direction LR'];
  const review = caseMachine.root.states.exemptionReview as AnyStateNode;
  const name = (node: AnyStateNode) => node.path.join('_');
  const edges = (node: AnyStateNode): string[] => {
    const out = new Set<string>();
    for (const [eventType, transitions] of node.transitions) {
      for (const t of transitions) {
        const targets = (t.target ?? []) as AnyStateNode[];
        if (targets.length === 0) out.add(`${name(node)} --> ${name(node)} : ${eventType}`);
        for (const target of targets) out.add(`${name(node)} --> ${name(target)} : ${eventType}`);
      }
    }
    for (const t of node.always ?? [])
      for (const target of (t.target ?? []) as AnyStateNode[]) out.add(`${name(node)} --> ${name(target)} : (automatic)`);
    return [...out];
  };
  const entries = new Set<string>();
  for (const node of Object.values(caseMachine.root.states) as AnyStateNode[]) {
    if (node === review) continue;
    for (const [eventType, transitions] of node.transitions)
      for (const t of transitions)
        for (const target of (t.target ?? []) as AnyStateNode[])
          if (target.path[0] === 'exemptionReview' && node.key !== 'closed')
            entries.add(`  ${name(node)} --> ${name(target)} : ${eventType}`);
  }
  lines.push(...entries);
  lines.push(`  state ${name(review)} {`);
  for (const child of Object.values(review.states) as AnyStateNode[]) {
    lines.push(`    ${name(child)} : ${child.key} ${child.description ?? ''}`.trimEnd());
  }
  if (review.initial?.target?.length) lines.push(`    [*] --> ${name(review.initial.target[0] as AnyStateNode)}`);
  lines.push('  }');
  for (const child of Object.values(review.states) as AnyStateNode[]) lines.push(...edges(child).map((e) => `  ${e}`));
  const closed = caseMachine.root.states.closed as AnyStateNode;
  lines.push(`  ${name(closed)} : ${closed.key} ${closed.description ?? ''}`.trimEnd());
  lines.push(...edges(closed).map((e) => `  ${e}`));
  if (closed.type === 'final') lines.push(`  ${name(closed)} --> [*]`);
  return lines.join('\n');
}
