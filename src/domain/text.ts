/**
 * Normalises what people type into sheets: full-width digits and letters (１２Ｘ), ideographic
 * spaces and stray whitespace. NFKC folds full-width forms into ASCII and leaves Chinese alone.
 */
export function normalizeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .normalize('NFKC')
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim();
}

/** For keys compared loosely: names, codes, headers. All whitespace removed. */
export function compactText(value: unknown): string {
  return normalizeText(value).replace(/ /g, '');
}
