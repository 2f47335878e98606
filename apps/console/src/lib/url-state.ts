import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters and paging live in the URL (a view can be shared): `get('state')`, `set({ state: 'x' })`.
 * Changing a filter goes back to the first page.
 */
export function useUrlState() {
  const [params, setParams] = useSearchParams();
  const get = useCallback((k: string) => params.get(k) ?? undefined, [params]);
  const set = useCallback(
    (changes: Record<string, string | undefined | null>, opts: { keepCursor?: boolean } = {}) => {
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v === undefined || v === null || v === '') next.delete(k);
          else next.set(k, v);
        }
        if (!opts.keepCursor && !('cursor' in changes)) next.delete('cursor');
        return next;
      });
    },
    [setParams],
  );
  return { params, get, set };
}
