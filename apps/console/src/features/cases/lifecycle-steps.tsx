import { Steps } from 'antd';
import { useI18n } from '../../i18n/i18n';

const MAIN = [
  'draft',
  'screening',
  'dueDiligence',
  'riskReview',
  'committee',
  'execution',
  'monitoring',
  'exiting',
  'exemptionReview',
  'closed',
];

/** The lifecycle with the current state marked; a rejected case stops where it was refused. */
export function LifecycleSteps({ state, reachedExemption }: { state: string; reachedExemption: boolean }) {
  const { code } = useI18n();
  const top = state.split('.')[0];
  const steps = MAIN.filter((s) => s !== 'exiting' || top === 'exiting' || !reachedExemption);
  let current = steps.indexOf(top);
  const rejected = top === 'rejected';
  if (rejected) current = steps.length - 1;
  return (
    <Steps
      size="small"
      current={current}
      status={rejected ? 'error' : top === 'closed' ? 'finish' : 'process'}
      items={steps.map((s, i) => ({
        title: rejected && i === steps.length - 1 ? code('state', 'rejected') : code('state', s),
        description: s === top && state.includes('.') ? code('state', state) : undefined,
      }))}
      style={{ overflowX: 'auto' }}
    />
  );
}
