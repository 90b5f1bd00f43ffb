/**
 * Checks of values that nginx's directive handlers parse by hand (not expressible in the
 * ngx_command_t table). Each module here handles one concern and registers per-directive checks;
 * value-invalid looks them up by name (one Map lookup per directive).
 */
import type { Settings } from '../../../../settings';
import type { Directive, Span } from '../../../../syntax/tree';

export type Report = (at: Span, message: string) => void;
/** `module`: the module of the spec that applies (tells `server` in upstream from `server` in http). */
/** `text`: the file's text (for the fast paths in fast.ts) */
export type DirectiveCheck = (d: Directive, module: string, settings: Settings, report: Report, text: string) => void;

/** ngx_atoi: digits only, not empty. */
export function atoi(s: string): number {
  if (s.length === 0 || s.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** The module family of a spec's module name. */
export function family(module: string): 'http' | 'stream' | 'mail' | 'core' {
  if (module.startsWith('ngx_http_')) return 'http';
  if (module.startsWith('ngx_stream_')) return 'stream';
  if (module.startsWith('ngx_mail_')) return 'mail';
  return 'core';
}

export const hasVariable = (s: string): boolean => s.includes('$');
