/**
 * Is a `.conf` file nginx? VS Code opens every `.conf` as "Properties" (the built-in ini extension
 * claims the extension, and a registered extension wins over a language's `firstLine`), so the
 * client looks at the start of such files itself. No `vscode` import: unit-tested as plain code.
 */

/** A directive that starts nginx configurations, in nginx's shape (`name args;` or `name args {`), not `key = value`. */
const DIRECTIVE = /^\s*(?:user|worker_processes|worker_rlimit_nofile|pid|error_log|load_module|include|events|http|stream|mail|server|upstream|map|geo|location|server_name|listen|proxy_pass|root|access_log|log_format|add_header)(?:\s+(?![=:])\S.*?)?\s*[;{}]\s*(?:#.*)?$/;
/** Any statement in nginx's shape: a lower-case name, arguments, then `;`, `{` or `}`. */
const STATEMENT = /^\s*(?:[a-z_][a-z0-9_]*(?:\s+(?![=:])\S.*?)?\s*[;{}]|\})\s*(?:#.*)?$/;
/** A closing brace alone, or a comment naming nginx (`# nginx`, `# nginx: context=http`, `# generated for nginx`). */
const NGINX_COMMENT = /^\s*#.*\bnginx\b/i;

/** Lines looked at: the start of the file is where a configuration shows what it is. */
const LINES = 30;

/**
 * True when a comment near the top names nginx, when the first statement is one of the directives
 * configurations start with, or when nearly every line of the start is in nginx's statement shape.
 */
export function looksLikeNginx(text: string): boolean {
  let seen = 0;
  let start = 0;
  let statements = 0;
  let others = 0;
  while (start <= text.length && seen < LINES) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (!line.trim()) continue;
    seen++;
    if (NGINX_COMMENT.test(line)) return true;
    if (/^\s*#/.test(line)) continue;
    if (statements + others === 0 && DIRECTIVE.test(line)) return true;
    if (STATEMENT.test(line)) statements++;
    else others++;
  }
  // fragments start with any directive (`set`, `if`, `proxy_set_header`): judge by the shape
  return statements >= 2 && others <= statements / 10;
}

/** Files worth looking at: `.conf` / `.conf.template` opened as a language that is not nginx's. */
export function isCandidate(path: string, languageId: string): boolean {
  if (languageId === 'nginx') return false;
  if (!['properties', 'plaintext', 'ini', 'conf', 'apacheconf'].includes(languageId)) return false;
  return /\.conf(?:\.template)?$/i.test(path);
}
