/**
 * error-log-off: `error_log off;` does not turn error logging off. Unlike `access_log`, `error_log`
 * has no `off`: nginx takes the word as a file name and writes its errors to a file named "off" in
 * its prefix (e.g. /etc/nginx/off or /usr/share/nginx/off), where nobody looks and nothing rotates
 * it. Fix: `error_log /dev/null crit;` (what `off` was meant to do, keeping nothing) or
 * `error_log stderr;` (to the service manager's journal).
 */
import type { Rule } from '../../types';
import { eachDirective } from './common';

export const errorLogOff: Rule = {
  code: 'error-log-off',
  family: 'practice',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'error_log off writes the error log to a file named "off"; error logging has no off switch',
  fixAll: true,
  check(ctx) {
    const { source } = ctx;
    eachDirective(source.file.children, (d) => {
      if (d.name !== 'error_log' || d.argCount < 1 || d.argValue(0) !== 'off') return;
      const word = d.arg(0)!;
      const hasLevel = d.argCount > 1;
      ctx.report({
        message: 'error_log off writes errors to a file named "off" in nginx\'s prefix; there is no off for error_log. Use error_log /dev/null crit; to drop them, or stderr.',
        start: word.start,
        end: word.end,
        fixes: () => [
          { title: hasLevel ? 'Write errors to /dev/null' : 'Drop errors: error_log /dev/null crit', isPreferred: true, edits: [{ source, start: word.start, end: word.end, newText: hasLevel ? '/dev/null' : '/dev/null crit' }] },
          { title: 'Write errors to stderr', edits: [{ source, start: word.start, end: word.end, newText: 'stderr' }] },
        ],
      });
    });
  },
};
