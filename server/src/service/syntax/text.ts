/** String comparisons the analysis runs on every word of a file, written so they allocate nothing. */

/**
 * `v` and `x` are equal ignoring case, as `v.toLowerCase() === x.toLowerCase()` says, without
 * making lowercase copies: rules compare every flag, enum value and header name of a file.
 */
export function sameIgnoringCase(v: string, x: string): boolean {
  const n = v.length;
  // (only a non-ASCII character can change the length when lowercased)
  if (n !== x.length) return hasNonAscii(v) || hasNonAscii(x) ? v.toLowerCase() === x.toLowerCase() : false;
  for (let i = 0; i < n; i++) {
    let a = v.charCodeAt(i);
    let b = x.charCodeAt(i);
    if (a === b) continue;
    // the Kelvin sign lowercases to "k", and the like: leave those to toLowerCase
    if (a >= 128 || b >= 128) return v.toLowerCase() === x.toLowerCase();
    if (a >= 65 && a <= 90) a += 32;
    if (b >= 65 && b <= 90) b += 32;
    // (the characters before lowercase to as many characters on both sides: this one decides)
    if (a !== b) return false;
  }
  return true;
}

function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return true;
  return false;
}
