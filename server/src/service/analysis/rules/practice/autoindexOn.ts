/**
 * autoindex-on: `autoindex on` lists the files of any directory without an index file, so backups,
 * dot files and uploads left in the tree can be found by browsing. Not reported where the level is
 * behind access control (a deny list, auth_basic/auth_request/auth_jwt, `internal`): there the
 * listing is meant for the few who get in. The fix (`autoindex off`) removes the listing, which may
 * be the feature, so it is offered but never applied by "Fix all".
 */
import { chainFor } from '../../effective';
import { replaceArgs } from '../../edits';
import type { Rule } from '../../types';
import { eachDirective, isAccessControlled } from './common';

export const autoindexOn: Rule = {
  code: 'autoindex-on',
  family: 'practice',
  reach: 'server',
  defaultSeverity: 'information',
  description: 'autoindex on: directory listings show every file of a folder to anyone',
  check(ctx) {
    const { view, source } = ctx;
    eachDirective(source.file.children, (d) => {
      if (d.name !== 'autoindex' || d.argCount !== 1 || d.argValue(0) !== 'on') return;
      if (isAccessControlled(view, chainFor(view, d.parent))) return;
      ctx.report({
        message: 'autoindex on lists the files of every directory without an index file to any client. Turn it off, or restrict who may list.',
        start: d.start,
        end: d.arg(0)!.end,
        fixes: () => [{ title: 'Turn directory listing off (autoindex off)', isPreferred: false, edits: [replaceArgs(source, d, 'off')] }],
      });
    });
  },
};
