/**
 * Cells of published plans hold fragments of HTML: <p> paragraphs, <ul>/<ol> lists whose items
 * are often marked with "•" inside the text rather than <li>, <sup> ordinals, entities.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', hellip: '…', pound: '£' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Tags gone, entities decoded, white space folded: the text a person reads. */
export function plainText(html: string): string {
  return decodeEntities(html.replace(/<sup>\s*(st|nd|rd|th)\s*<\/sup>/gi, '$1').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The <p> paragraphs of a cell, as text; a cell without <p> is one paragraph. */
export function paragraphs(html: string): string[] {
  if (!/<p[\s>]/i.test(html)) {
    const text = plainText(html);
    return text ? [text] : [];
  }
  return html
    .split(/<\/?p(?:\s[^>]*)?>/i)
    .map(plainText)
    .filter(Boolean);
}

export interface Block {
  text: string;
  /** A list item (a "•" bullet or an <li>), as opposed to a paragraph. */
  item: boolean;
  /** From a <ul> whose items carry no bullets: one block that may hold several actions. */
  unmarkedList: boolean;
}

/**
 * The blocks of an action cell in reading order: paragraphs, and list items split at "•" or <li>.
 * A nested <ol> stays inside the block it follows (its points belong to that action).
 */
export function blocks(html: string): Block[] {
  const out: Block[] = [];
  // Cut at paragraph and unordered-list boundaries; keep <ol> inline.
  const parts = html.split(/(<\/?p(?:\s[^>]*)?>|<\/?ul(?:\s[^>]*)?>)/i);
  let inList = false;
  for (const part of parts) {
    if (/^<ul/i.test(part)) {
      inList = true;
      continue;
    }
    if (/^<\/ul/i.test(part)) {
      inList = false;
      continue;
    }
    if (/^<\/?p/i.test(part)) continue;
    const pieces = part.split(/•|<li(?:\s[^>]*)?>/i).map(plainText);
    const marked = pieces.length > 1;
    for (const [index, text] of pieces.entries()) {
      if (!text) continue;
      const isItem = marked ? index > 0 : inList;
      out.push({ text, item: isItem, unmarkedList: inList && !marked });
    }
  }
  return out;
}

/**
 * Sentences of a block, for lists whose items are not marked: "Reviewing X. Increasing Y." A
 * sentence ends at ". " before a capital letter or a digit; "(See concern 4)" stays attached.
 */
export function sentences(text: string): string[] {
  return text
    // Not after a list number: "by: 1. Reviewing" is one point, not a sentence "1.".
    .split(/(?<=[.!?])(?<!(?:^|\s)\d{1,2}\.)\s+(?=[A-Z0-9(])/)
    .map((s) => s.trim())
    .filter(Boolean)
    .reduce<string[]>((acc, sentence) => {
      // "(See concern 3)." belongs to the sentence before it; so do the points of a numbered list.
      const previous = acc.at(-1);
      if (previous !== undefined && (/^\((see|see also)\b/i.test(sentence) || /^\d+\.\s/.test(sentence) || previous.endsWith(':'))) {
        acc[acc.length - 1] = `${previous} ${sentence}`;
      } else acc.push(sentence);
      return acc;
    }, []);
}
