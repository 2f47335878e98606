import { useI18n } from '../i18n/i18n';
import { shortId } from '../lib/format';
import { useUserNames } from '../lib/queries';
import { useSession } from '../lib/session';

/** A person by id: their name where the caller may know it, else the short id. */
export function usePersonName(): (id: string | null | undefined, known?: Record<string, { displayName: string }>) => string {
  const names = useUserNames();
  const me = useSession()?.user;
  const { t } = useI18n();
  return (id, known) => {
    if (!id) return t('timeline.system');
    if (id === me?.id) return me.displayName;
    return known?.[id]?.displayName ?? names.get(id) ?? shortId(id);
  };
}
