import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyStateNode } from 'xstate';
import { caseStateDiagram, exemptionProcedureDiagram } from './case.diagram';
import { caseMachine } from './case.machine';

describe('state diagram in the README', () => {
  it('is the one generated from the machine (run `npm run docs:diagram` after changing the machine)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const block = /<!-- state-diagram:start[^>]*-->\n```mermaid\n([\s\S]*?)\n```\n<!-- state-diagram:end -->/.exec(readme);
    expect(block).not.toBeNull();
    expect(block![1]).toBe(caseStateDiagram());
  });

  it('names every top-level state of the contract with its Chinese name', () => {
    const diagram = caseStateDiagram();
    const names: Record<string, string> = {
      draft: '项目储备',
      screening: '立项审查',
      dueDiligence: '尽职调查',
      riskReview: '风控审查',
      committee: '投资决策委员会',
      execution: '签约交割',
      monitoring: '投后管理',
      exiting: '退出',
      exemptionReview: '尽职免责审查',
      rejected: '否决',
      closed: '结案',
    };
    expect(Object.keys(caseMachine.root.states).sort()).toEqual(Object.keys(names).sort());
    for (const [state, zh] of Object.entries(names)) expect(diagram).toContain(`${state} : ${state} ${zh}`);
  });

  it('shows the exemption procedure generated from the machine: every event each review state accepts, and its end', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const block = /<!-- exemption-diagram:start[^>]*-->\n```mermaid\n([\s\S]*?)\n```\n<!-- exemption-diagram:end -->/.exec(readme);
    expect(block).not.toBeNull();
    const diagram = exemptionProcedureDiagram();
    expect(block![1]).toBe(diagram);
    const review = caseMachine.root.states.exemptionReview as AnyStateNode;
    for (const state of Object.values(review.states) as AnyStateNode[]) {
      expect(diagram).toContain(`exemptionReview_${state.key} : ${state.key} ${state.description}`);
      for (const eventType of state.ownEvents)
        expect(diagram).toMatch(new RegExp(`^  exemptionReview_${state.key} --> \\S+ : ${eventType}$`, 'm'));
    }
    expect(diagram).toContain('exemptionReview_publicNotice --> closed : CONCLUDE_NOTICE');
    expect(diagram).toContain('exiting --> exemptionReview : COMPLETE_EXIT');
  });
});
