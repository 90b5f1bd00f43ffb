/**
 * worker-connections-nofile: every connection a worker holds is a file descriptor (two for a
 * proxied request: the client's and the upstream's), and the process may open at most
 * RLIMIT_NOFILE of them. With `worker_connections` above `worker_rlimit_nofile`, or above the
 * usual soft limit of 1024 when no worker_rlimit_nofile raises it, the worker runs out of
 * descriptors long before it reaches worker_connections: accept() fails with "Too many open
 * files" under load (nginx warns "worker_connections exceed open file resource limit" at start
 * only when it can see the limit). Reported at worker_connections in the file that holds `events`;
 * a hint when no worker_rlimit_nofile is written (the system's limit is only assumed to be 1024).
 * Fix: set worker_rlimit_nofile to twice worker_connections (a worker raises its own limit at
 * start while it still runs as root; a master without root privileges cannot go above the hard
 * limit, so the fix is offered, not applied by "Fix all").
 */
import type { Directive } from '../../../syntax/tree';
import { firstNamed } from '../../effective';
import { insertLines, replaceArgs } from '../../edits';
import type { Rule } from '../../types';

/** The RLIMIT_NOFILE soft limit most systems start services with. */
export const USUAL_SOFT_LIMIT = 1024;

function count(d: Directive | null): number | null {
  const v = d?.argCount === 1 ? d.argValue(0)! : '';
  return /^\d{1,9}$/.test(v) ? Number(v) : null;
}

export const workerConnectionsNofile: Rule = {
  code: 'worker-connections-nofile',
  family: 'practice',
  reach: 'server',
  defaultSeverity: 'information',
  description: 'worker_connections above worker_rlimit_nofile (or above the usual 1024 open-file limit without it)',
  check(ctx) {
    const { view, source } = ctx;
    const top = view.topScope();
    if (top.context !== 'main') return;
    const events = source.file.children.find((s): s is Directive => s.kind === 'directive' && !s.isEntry && s.name === 'events' && !!s.block);
    if (!events) return;
    const wc = firstNamed(view.expand(events), 'worker_connections');
    const n = count(wc);
    if (!wc || n === null || view.sourceOf(wc) !== source) return;
    const rlimitDirective = firstNamed(top.directives, 'worker_rlimit_nofile');
    if (rlimitDirective && count(rlimitDirective) === null) return;
    const limit = rlimitDirective ? count(rlimitDirective)! : USUAL_SOFT_LIMIT;
    if (n <= limit) return;
    const want = String(2 * n);
    const word = wc.arg(0)!;
    ctx.report({
      message: rlimitDirective
        ? `worker_connections ${n} exceeds worker_rlimit_nofile ${limit}: a worker runs out of file descriptors ("Too many open files") before it reaches ${n} connections. Raise worker_rlimit_nofile (a proxied connection takes two).`
        : `worker_connections ${n} is above the usual ${USUAL_SOFT_LIMIT} open-file limit: no worker_rlimit_nofile raises it, so workers fail with "Too many open files" under load. Add worker_rlimit_nofile ${want};.`,
      // without worker_rlimit_nofile the limit is the system's, which we only assume: a hint
      severity: rlimitDirective ? undefined : 'hint',
      start: word.start,
      end: word.end,
      related: rlimitDirective ? [{ source: view.sourceOf(rlimitDirective) ?? source, start: rlimitDirective.start, end: rlimitDirective.end, message: 'the open-file limit' }] : undefined,
      fixes: () => {
        if (rlimitDirective) {
          const src = view.sourceOf(rlimitDirective) ?? source;
          return [{ title: `Set worker_rlimit_nofile ${want}`, isPreferred: true, edits: [replaceArgs(src, rlimitDirective, want)] }];
        }
        return [{ title: `Add worker_rlimit_nofile ${want};`, isPreferred: true, edits: [insertLines(source, null, [`worker_rlimit_nofile ${want};`], ['worker_processes', 'pid', 'user'])] }];
      },
    });
  },
};
