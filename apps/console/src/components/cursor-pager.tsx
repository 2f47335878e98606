import { Button, Space } from 'antd';
import { useI18n } from '../i18n/i18n';
import { useUrlState } from '../lib/url-state';

/** Keyset paging: the next page's cursor goes into the URL; back is the browser's back. */
export function CursorPager({ nextCursor }: { nextCursor: string | null | undefined }) {
  const { t } = useI18n();
  const { get, set } = useUrlState();
  return (
    <Space style={{ marginTop: 16 }}>
      <Button disabled={!get('cursor')} onClick={() => set({ cursor: undefined })}>
        {t('common.first')}
      </Button>
      <Button disabled={!nextCursor} onClick={() => set({ cursor: nextCursor })}>
        {t('common.next')}
      </Button>
    </Space>
  );
}
