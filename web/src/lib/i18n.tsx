import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

/**
 * Chinese first, English by a switch that is remembered. Text lives next to the code that shows it
 * as `t('中文', 'English')`, so a screen never shows a key and both languages are read together.
 */
export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'gj.lang';

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (zh: string, en: string) => string;
}

const I18nContext = createContext<I18n>({ lang: 'zh', setLang: () => {}, t: (zh) => zh });

export function readStoredLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(readStoredLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // private mode: the switch lasts for this page only
    }
    document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
  }, []);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (zh, en) => (lang === 'en' ? en : zh) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);
/** The translate function alone: `const t = useT(); t('保存', 'Save')`. */
export const useT = () => useContext(I18nContext).t;

/** A server label pair: prefer the Chinese label the server sends, English code otherwise. */
export const label = (lang: Lang, zh: string | null | undefined, en: string | null | undefined) =>
  (lang === 'en' ? en || zh : zh || en) ?? '';
