/**
 * include-unreadable: an `include` target that exists but is not read: not a regular file (a FIFO,
 * a device, a socket, a file of /proc or /sys, where a read can block or never end), larger than
 * the 10 MB input limit, or binary. nginx would hang, fail or choke on it; the server says so
 * instead of silently analysing the configuration without it.
 */
import type { Rule } from '../../types';
import { includesOf } from '../../../syntax/query';

export const includeUnreadable: Rule = {
  code: 'include-unreadable',
  family: 'workspace',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'An included file that is not a regular, readable text file of at most 10 MB.',
  check(ctx) {
    const view = ctx.view;
    if (!view.includeInfo || !view.unreadable) return;
    for (const d of includesOf(ctx.source.file)) {
      const info = view.includeInfo(d);
      if (!info) continue;
      for (const t of info.targets) {
        const why = view.unreadable(t);
        if (!why) continue;
        const w = d.args[0];
        ctx.report({ message: `not read: ${t}: ${why}`, start: w.start, end: w.end });
        break;
      }
    }
  },
};
