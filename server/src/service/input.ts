/**
 * Guards for input that is not an nginx configuration at all: binary data, files too large to
 * analyse interactively, bytes that are not UTF-8. Shared by the server and the CLI so both say
 * the same clear thing instead of producing garbage diagnostics or hanging.
 */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;

export interface InputProblem {
  /** 'error': not analysed at all; 'warning': analysed, but the user should know */
  severity: 'error' | 'warning';
  message: string;
}

/** Problems of a text as an editor hands it over (already decoded). */
export function checkText(text: string): InputProblem | null {
  if (text.length > MAX_INPUT_BYTES) return tooLarge(text.length);
  const nul = text.indexOf('\u0000');
  return nul >= 0 ? binary(nul) : null;
}

function tooLarge(size: number): InputProblem {
  return { severity: 'error', message: `file is too large to analyse (${(size / 1048576).toFixed(1)} MB; the limit is 10 MB)` };
}

function binary(nulAt: number): InputProblem {
  return { severity: 'error', message: `this looks like a binary file (it contains a NUL byte at offset ${nulAt}), not an nginx configuration; not analysed` };
}

/**
 * What nginx says of a file that starts with a UTF-8 byte order mark: its lexer takes the three bytes
 * as part of the first word (nginx 1.22: `unknown directive "\ufeffevents"`), so `nginx -t` fails.
 */
export const BOM_MESSAGE = 'the file starts with a UTF-8 byte order mark: nginx reads it as part of the first directive name and fails (unknown directive "\\ufeff…"); save the file without BOM';

/**
 * Decodes file bytes: problems for binary data, size, and invalid UTF-8 (decoded with U+FFFD
 * replacements). A UTF-8 BOM is not part of the text (`bom` says it was there).
 */
export function decodeInput(bytes: Uint8Array): { text: string; problem: InputProblem | null; bom?: boolean } {
  if (bytes.length > MAX_INPUT_BYTES) return { text: '', problem: tooLarge(bytes.length) };
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { text: '', problem: binary(nul) };
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // analysed without it; `bom` tells the caller
  const bom = start === 3;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)), problem: null, bom };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes.subarray(start));
    const at = text.indexOf('\uFFFD');
    return { text, problem: { severity: 'warning', message: `file is not valid UTF-8 (first invalid byte near character ${at}); invalid bytes are shown as U+FFFD` }, bom };
  }
}
