/**
 * The http level a file belongs to, from one view: its directives with includes expanded (all the
 * servers of the configuration, whichever file holds them) and the expander for blocks.
 */
import type { ConfigView } from '../../model/config';
import type { Directive } from '../../syntax/tree';
import type { Expand } from './model';

export interface HttpLevel {
  directives: readonly Directive[];
  expand: Expand;
  /** what stays the same while the configuration is edited: the `http` directive, or the lone file's tree */
  anchor: object;
}

export function httpLevelOf(view: ConfigView): HttpLevel | null {
  const expand: Expand = (d) => view.expand(d);
  const top = view.topScope();
  if (top.context === 'main') {
    const http = top.directives.find((d) => d.name === 'http' && d.block);
    return http ? { directives: view.expand(http), expand, anchor: http } : null;
  }
  if (top.context === 'http' && (view.inferred || !top.directives.length)) return { directives: top.directives, expand, anchor: view.source.file };
  // a file included somewhere below main: climb from one of its directives to the http level
  const first = top.directives[0];
  if (!first) return null;
  for (const s of view.scopes(first)) {
    if (s.context === 'http') return { directives: s.directives, expand, anchor: s.owner ?? s.source?.file ?? view.source.file };
    if (s.context === 'main') {
      const http = s.directives.find((d) => d.name === 'http' && d.block);
      if (http) return { directives: view.expand(http), expand, anchor: http };
    }
  }
  return top.context === 'http' ? { directives: top.directives, expand, anchor: view.source.file } : null;
}
