// Which words to mark in the reader after opening a search hit. The core's
// snippet already marks the words that matched — with typos and stems resolved
// (`gorutine` marks “Goroutine”) — so those are the words to mark, not the
// query as typed.

const MARK = /<mark>(.*?)<\/mark>/gis;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };

function decode(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ENTITIES[e] ?? '');
}

/** The distinct words inside `<mark>` in a snippet, longest first (so a longer
 * word wins where two overlap). */
export function markedTerms(snippet: string): string[] {
  const terms = new Set<string>();
  for (const match of snippet.matchAll(MARK)) {
    const term = decode(match[1] ?? '').trim();
    if (term) terms.add(term.toLowerCase());
  }
  return [...terms].sort((a, b) => b.length - a.length);
}

/** The plain words of a query, without operators, for when a snippet marked
 * nothing (e.g. the hit matched on its title only). */
export function queryWords(query: string): string[] {
  return query
    .split(/\s+/)
    .filter((w) => w && !w.startsWith('-'))
    .map((w) => w.replace(/^["(]+|[")]+$/g, '').toLowerCase())
    .filter((w) => w.length > 1);
}

/** One case-insensitive pattern matching any of the terms. */
export function termPattern(terms: readonly string[]): RegExp | null {
  if (terms.length === 0) return null;
  const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(${escaped.join('|')})`, 'giu');
}
