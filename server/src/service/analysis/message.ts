/**
 * A diagnostic's first sentence is what the Problems panel shows on one line; details follow it.
 * The head ends at the first `.`, `:` or `;` followed by a space (or at the end) outside quotes
 * and parentheses — `1.1`, `host:80`, `"a. b"` do not end it: "what is wrong: why, and what to do".
 */
export function firstSentence(message: string): string {
  let quote = '';
  let depth = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === '.' || c === ';' || c === ':') && (i + 1 === message.length || message[i + 1] === ' ' || message[i + 1] === '\n')) return message.slice(0, c === '.' ? i + 1 : i);
    else if (c === '\n') return message.slice(0, i);
  }
  return message;
}

/** How long a first sentence may be: what fits the Problems panel beside file name and position. */
export const FIRST_SENTENCE_MAX = 100;
