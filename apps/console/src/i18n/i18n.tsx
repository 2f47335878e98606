import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Lang } from '../lib/format';
import { DOCUMENTS, EVENTS, FIELDS, MESSAGES, ROLES, STATES, TASK_KINDS, VALUES, type MessageKey } from './messages';

const TABLES = { state: STATES, event: EVENTS, role: ROLES, task: TASK_KINDS, field: FIELDS, value: VALUES, document: DOCUMENTS };
export type CodeTable = keyof typeof TABLES;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** A code from the API in the current language; the code itself when unknown. */
  code: (table: CodeTable, value: string | null | undefined) => string;
}

const LANG_KEY = 'pcw.lang';
const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh-CN';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(LANG_KEY, next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const i = lang === 'en' ? 1 : 0;
    return {
      lang,
      setLang,
      t: (key, vars) => {
        let s: string = MESSAGES[key][i];
        if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
        return s;
      },
      code: (table, v) => {
        if (!v) return '—';
        return TABLES[table][v]?.[i] ?? v;
      },
    };
  }, [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
