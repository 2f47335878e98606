import { Alert } from 'antd';
import { useI18n } from '../i18n/i18n';
import { ApiError } from '../lib/http';

/** The server's own words for a refused request: `messageZh` in Chinese, `message` in English. */
export function errorText(err: unknown, lang: string): string {
  if (err instanceof ApiError) {
    if (lang !== 'zh-CN' || !err.messageZh) return err.message;
    // A refused body's Chinese message is general; the English one names the field.
    return err.status === 400 && err.message !== err.messageZh ? `${err.messageZh}（${err.message}）` : err.messageZh;
  }
  return err instanceof Error ? err.message : String(err);
}

export function ApiErrorAlert({ error }: { error: unknown }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const status = error instanceof ApiError ? ` (${error.status})` : '';
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={`${t('common.error')}${status}`}
      description={errorText(error, lang)}
      style={{ marginBottom: 16 }}
    />
  );
}
