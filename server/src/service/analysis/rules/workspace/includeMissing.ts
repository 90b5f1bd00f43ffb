/**
 * include-missing: a non-glob `include` that resolves to no file.
 *
 * To keep false positives low it is reported only when the path lands inside the workspace (relative
 * to the main file's folder, or absolute and mapped onto the workspace), is not a stock file nginx
 * packages ship (mime.types, fastcgi_params, snippets/fastcgi-php.conf, …; a workspace copy often
 * leaves them out), and the prefix is known (the file is reached from a main file, or the workspace
 * has a main file above it). Globs never warn: nginx accepts a glob that matches nothing.
 */
import type { Rule } from '../../types';
import { includesOf } from '../../../syntax/query';

export const includeMissing: Rule = {
  code: 'include-missing',
  family: 'workspace',
  reach: 'server',
  defaultSeverity: 'warning',
  description: 'An include of a single file that does not exist.',
  check(ctx) {
    // the file's include directives (with an argument), cached per tree
    for (const d of includesOf(ctx.source.file)) {
      const info = ctx.view.includeInfo?.(d);
      if (!info || info.status !== 'missing') continue;
      const w = d.args[0];
      ctx.report({
        message: `included file not found: ${info.resolved ?? info.pattern}`,
        start: w.start,
        end: w.end,
      });
    }
  },
};
