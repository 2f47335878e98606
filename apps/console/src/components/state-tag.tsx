import { Tag } from 'antd';
import { useI18n } from '../i18n/i18n';

const COLORS: Record<string, string> = {
  rejected: 'red',
  closed: 'default',
  exemptionReview: 'orange',
  monitoring: 'green',
  committee: 'purple',
};

/** A case state (dotted path) in words: "尽职免责审查 · 核查认定". */
export function StateTag({ state }: { state: string }) {
  const { code } = useI18n();
  const top = state.split('.')[0];
  const label = state.includes('.') ? `${code('state', top)} · ${code('state', state)}` : code('state', state);
  return <Tag color={COLORS[top] ?? 'blue'}>{label}</Tag>;
}
