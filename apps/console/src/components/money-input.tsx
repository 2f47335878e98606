import { InputNumber } from 'antd';
import { useI18n } from '../i18n/i18n';

/** An amount typed in 万元 (Chinese) or 元 (English); the form keeps the decimal text. */
export function MoneyInput(props: { id?: string; value?: string; onChange?: (v: string | null) => void; 'aria-required'?: boolean }) {
  const { lang, t } = useI18n();
  return (
    <InputNumber<string>
      id={props.id}
      stringMode
      min="0"
      precision={undefined}
      style={{ width: '100%' }}
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      suffix={lang === 'en' ? t('form.unitYuan') : t('form.unitWan')}
      aria-required={props['aria-required']}
    />
  );
}

export function moneyUnit(lang: string): 'wan' | 'yuan' {
  return lang === 'en' ? 'yuan' : 'wan';
}
