/**
 * `value-invalid`: an argument nginx's slot handler rejects: a flag that is not `on`/`off`, a
 * malformed time (`10x`, `1m1h`) or size (`10q`), a number that is not one, a value outside an
 * enum or bitmask. Which directive takes which kind of value comes from the generated table.
 * Plus what nginx's hand-written handlers check (checks/*: `listen` and upstream `server`
 * parameters, `if` conditions, `return` codes, `expires`, …), empty upstreams, and — when the
 * whole configuration is in view — log formats and zones that are never defined.
 */
import { acrossNamed } from '../../incremental';
import { parseNumber, parseSize, parseTime } from '../../../knowledge/units';
import type { Directive, Span } from '../../../syntax/tree';
import type { Rule } from '../../types';
import { argsOk, Ctx, type DirectiveSpec } from '../../../knowledge/directiveDb';
import { analyze } from './analyze';
import { checkMailSsl, checkUpstreamBlock } from './checks/blockContents';
import { HANDLER_CHECKS } from './checks/registry';
import type { DirectiveCheck } from './checks/types';
import { checkSslCertificates, type SslFacts } from './checks/sslCertificate';
import { argsFrom, fastPaths } from './checks/fast';
import { hasOpenSourceResolve } from './checks/upstreamServer';
import { checkDefinedNames, DEFINED_NAME_DIRECTIVES, isStockInclude, type NameUse } from './checks/wholeConfig';
import { sameIgnoringCase } from '../../../syntax/text';


/** What is wrong with argument `index`'s value `v` for a slot, or null. */
function valueProblem(slot: string, values: readonly string[], v: string, index: number): string | null {
  switch (slot) {
    case 'flag':
      return sameIgnoringCase(v, 'on') || sameIgnoringCase(v, 'off') ? null : `it must be "on" or "off"`;
    case 'msec': return parseTime(v, 'msec') === null ? `not a time (use e.g. 500ms, 30s, 5m, 1h30m; no "M" or "y" here)` : null;
    case 'sec': return parseTime(v, 'sec') === null ? `not a time (use e.g. 30s, 5m, 1h, 1d)` : null;
    case 'size': return parseSize(v, 'size') === null ? `not a size (use e.g. 512, 8k, 1m)` : null;
    case 'off': return parseSize(v, 'off') === null ? `not a size (use e.g. 512, 8k, 10m, 1g)` : null;
    case 'num': return parseNumber(v) === null ? `not a number` : null;
    case 'bufs':
      if (index === 0) return parseNumber(v) === null ? `not a number of buffers` : null;
      return parseSize(v, 'size') === null ? `not a buffer size (use e.g. 4k, 8k)` : null;
    case 'enum':
    case 'bitmask': {
      if (values.length === 0) return null;
      for (const x of values) if (sameIgnoringCase(v, x)) return null;
      return `expected ${values.map((x) => `"${x}"`).join(slot === 'enum' ? ' or ' : ', ')}`;
    }
  }
  return null;
}

/** a character of a plain word: the lexer ends no word on it and unescaping leaves it alone */
function isPlain(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 46 || c === 95 || c === 45 || c === 43 || c === 58 || c === 47; // . _ - + : /
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** text[from, to) equals `x` ignoring ASCII case (the range holds plain characters only: a non-ASCII `x` never matches) */
function rangeIs(text: string, from: number, to: number, x: string): boolean {
  if (to - from !== x.length) return false;
  for (let i = 0; i < x.length; i++) {
    let a = text.charCodeAt(from + i);
    let b = x.charCodeAt(i);
    if (a >= 65 && a <= 90) a += 32;
    if (b >= 65 && b <= 90) b += 32;
    if (a !== b) return false;
  }
  return true;
}

/**
 * Fast acceptance of a directive's single argument read in place from the text: true only when
 * it is a plain word (see isPlain) that valueProblem accepts. Anything else goes to the exact
 * check, which reads the value (a new string per directive; most of a large file's values are
 * plainly valid).
 */
function plainValueOk(text: string, d: Directive, name: string, slot: string, values: readonly string[]): boolean {
  if (!fastPaths.enabled) return false;
  let i = argsFrom(text, d, name);
  const to = d.terminatorOffset;
  // (the name must end where the spec's name does: a blank follows it)
  if (i < 0 || to <= i || !isBlank(text.charCodeAt(i))) return false;
  while (i < to && isBlank(text.charCodeAt(i))) i++;
  let e = i;
  while (e < to && isPlain(text.charCodeAt(e))) e++;
  if (e === i) return false;
  for (let j = e; j < to; j++) if (!isBlank(text.charCodeAt(j))) return false;
  switch (slot) {
    case 'flag': return rangeIs(text, i, e, 'on') || rangeIs(text, i, e, 'off');
    case 'msec': return parseTime(text, 'msec', i, e) !== null;
    case 'sec': return parseTime(text, 'sec', i, e) !== null;
    case 'size': return parseSize(text, 'size', i, e) !== null;
    case 'off': return parseSize(text, 'off', i, e) !== null;
    case 'num':
    case 'bufs': {
      // (for bufs, the only argument is the number of buffers) digits, too few to pass the largest safe integer
      if (e - i > 15) return false;
      for (let j = i; j < e; j++) { const c = text.charCodeAt(j); if (c < 48 || c > 57) return false; }
      return true;
    }
    case 'enum':
    case 'bitmask':
      if (values.length === 0) return true;
      for (let k = 0; k < values.length; k++) if (rangeIs(text, i, e, values[k])) return true;
      return false;
  }
  return false;
}

/** slots whose values are checked here (the others take free text) */
const CHECKED_SLOTS: ReadonlySet<string> = new Set(['flag', 'msec', 'sec', 'size', 'off', 'num', 'bufs', 'enum', 'bitmask']);

// what else a directive name is looked at for
const K_HANDLER = 1, K_UPSTREAM = 2, K_SSL = 4, K_DEFINED = 8, K_MAIL = 16, K_INCLUDE = 32;
const KIND = new Map<string, number>();
const mark = (name: string, bit: number) => KIND.set(name, (KIND.get(name) ?? 0) | bit);
for (const name of HANDLER_CHECKS.keys()) mark(name, K_HANDLER);
for (const name of DEFINED_NAME_DIRECTIVES) mark(name, K_DEFINED);
mark('upstream', K_UPSTREAM);
mark('listen', K_SSL);
mark('ssl_certificate', K_SSL);
mark('ssl_reject_handshake', K_SSL);
mark('ssl', K_MAIL);
mark('starttls', K_MAIL);
mark('include', K_INCLUDE);
/** the spec's slot is one checked here */
const K_SLOT = 64;

/** What is done with the directives of one spec: KIND bits plus K_SLOT, and the handler check. */
interface Plan {
  kind: number;
  handler: DirectiveCheck | undefined;
}
/**
 * Per spec (the analysis hands one to every directive): one lookup by object per directive instead
 * of one by name per table. Weak: custom directives' specs belong to a settings object.
 */
const plans = new WeakMap<DirectiveSpec, Plan>();
function planOf(spec: DirectiveSpec): Plan {
  let p = plans.get(spec);
  if (!p) {
    p = {
      kind: (KIND.get(spec.name) ?? 0) | (spec.slot !== '' && CHECKED_SLOTS.has(spec.slot) ? K_SLOT : 0),
      handler: HANDLER_CHECKS.get(spec.name),
    };
    plans.set(spec, p);
  }
  return p;
}

export const valueInvalid: Rule = {
  code: 'value-invalid',
  family: 'structure',
  reach: acrossNamed('listen', 'ssl_certificate', 'ssl_certificate_key', 'ssl_reject_handshake'),
  defaultSeverity: 'error',
  description: 'A flag that is not on/off, a malformed time or size, or a value outside the allowed set.',
  check(rc) {
    const a = analyze(rc);
    const { settings } = rc;
    const text = rc.source.file.text;
    const report = (at: Span, message: string) => rc.report({ message, start: at.start, end: at.end });
    const resolveKnown = settings.plus || hasOpenSourceResolve(settings);
    // names defined elsewhere are only checked when the whole configuration is this file
    const whole = !a.inferred && a.levelCtxs[0] === Ctx.main;
    let includes = false;
    let mail: Map<Directive | null, Directive[]> | null = null;
    const uses: NameUse[] = [];
    const ssl: SslFacts = { listens: [], certs: new Set(), rejects: new Set() };
    const { directives, specs } = a;
    for (let di = 0; di < directives.length; di++) {
      const spec = specs[di];
      if (!spec) continue;
      const d = directives[di];
      const plan = planOf(spec);
      const kind = plan.kind;
      if (kind === 0) continue;
      const name = spec.name; // a plain field (d.name is a getter)
      if (kind & K_INCLUDE) { if (!isStockInclude(d)) includes = true; continue; }
      const n = d.argCount;
      if (spec.block !== (d.terminator === '{') || !argsOk(spec.args, n)) continue;
      if (kind !== K_SLOT) {
        if (kind & K_HANDLER) plan.handler!(d, spec.module, settings, report, text);
        if (kind & K_UPSTREAM) checkUpstreamBlock(d, resolveKnown, report, text);
        if (whole && (kind & K_SSL) && spec.module.startsWith('ngx_http_')) {
          if (name === 'listen') ssl.listens.push(d);
          else if (name === 'ssl_certificate') ssl.certs.add(d.parent);
          else if (sameIgnoringCase(d.argValue(0)!, 'on')) ssl.rejects.add(d.parent);
        }
        if (whole && (kind & K_DEFINED)) uses.push({ d, module: spec.module });
        if ((kind & K_MAIL) && spec.module === 'ngx_mail_ssl_module') {
          mail ??= new Map();
          const l = mail.get(d.parent);
          if (l) l.push(d); else mail.set(d.parent, [d]);
        }
      }
      if (n === 0 || !(kind & K_SLOT)) continue;
      const slot = spec.slot;
      const count = slot === 'bitmask' ? n : slot === 'bufs' ? Math.min(2, n) : 1;
      if (n === 1 && plainValueOk(text, d, name, slot, spec.values)) continue;
      for (let i = 0; i < count; i++) {
        // the value alone (no Word object); the word's range only for a report
        const v = d.argValue(i)!;
        const problem = valueProblem(slot, spec.values, v, i);
        if (problem) {
          const w = d.arg(i)!;
          rc.report({ message: `invalid value "${v}" in "${name}" directive: ${problem}`, start: w.start, end: w.end });
        }
      }
    }
    if (mail) for (const list of mail.values()) checkMailSsl(list, report);
    if (whole && !includes && (uses.length || ssl.listens.length)) {
      checkDefinedNames(uses, report);
      checkSslCertificates(ssl, report);
    }
  },
};
