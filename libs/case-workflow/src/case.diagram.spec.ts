import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseStateDiagram } from './case.diagram';
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
});
