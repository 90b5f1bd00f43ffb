import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The rule pages shipped with the server (docs/rules/<code>.md beside dist/, in the repository and
 * in the .vsix), as file URLs: they work offline and always match the installed version. A code
 * without a page gets no link rather than one that 404s.
 */
export function bundledRuleDocs(code: string): string | null {
  if (!/^[a-z0-9-]+$/.test(code)) return null;
  const page = join(__dirname, '..', 'docs', 'rules', `${code}.md`);
  return existsSync(page) ? pathToFileURL(page).href : null;
}
