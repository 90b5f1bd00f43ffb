/**
 * `value-invalid`: an argument nginx's slot handler rejects: a flag that is not `on`/`off`, a
 * malformed time (`10x`, `1m1h`) or size (`10q`), a number that is not one, a value outside an
 * enum or bitmask. Which directive takes which kind of value comes from the generated table.
 * Plus what nginx's hand-written handlers check (checks/*: `listen` and upstream `server`
 * parameters, `if` conditions, `return` codes, `expires`, …), empty upstreams, and — when the
 * whole configuration is in view — log formats and zones that are never defined.
 */
import { parseNumber, parseSize, parseTime } from '../../../knowledge/units';
import type { Directive, Span, Word } from '../../../syntax/tree';
import type { Rule } from '../../types';
import { argsOk, Ctx } from '../../../knowledge/directiveDb';
import { analyze } from './analyze';
import { checkMailSsl, checkUpstreamBlock } from './checks/blockContents';
import { HANDLER_CHECKS } from './checks/registry';
import { checkSslCertificates, type SslFacts } from './checks/sslCertificate';
import { hasOpenSourceResolve } from './checks/upstreamServer';
import { checkDefinedNames, DEFINED_NAME_DIRECTIVES, isStockInclude, type NameUse } from './checks/wholeConfig';

function valueProblem(slot: string, values: readonly string[], w: Word, index: number): string | null {
  const v = w.value;
  switch (slot) {
    case 'flag': {
      const l = v.toLowerCase();
      return l === 'on' || l === 'off' ? null : `it must be "on" or "off"`;
    }
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
      const l = v.toLowerCase();
      for (const x of values) if (x.toLowerCase() === l) return null;
      return `expected ${values.map((x) => `"${x}"`).join(slot === 'enum' ? ' or ' : ', ')}`;
    }
  }
  return null;
}

/** slots whose values are checked here (the others take free text) */
const CHECKED_SLOTS: ReadonlySet<string> = new Set(['flag', 'msec', 'sec', 'size', 'off', 'num', 'bufs', 'enum', 'bitmask']);

// what else a directive name is looked at for (one Map lookup per directive)
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

export const valueInvalid: Rule = {
  code: 'value-invalid',
  defaultSeverity: 'error',
  description: 'A flag that is not on/off, a malformed time or size, or a value outside the allowed set.',
  check(rc) {
    const a = analyze(rc);
    const { settings } = rc;
    const text = rc.source.file.text;
    const report = (at: Span, message: string) => rc.report({ message, start: at.start, end: at.end });
    const resolveKnown = settings.plus || hasOpenSourceResolve(settings);
    const mentionsResolve = text.includes('resolve');
    // names defined elsewhere are only checked when the whole configuration is this file
    const whole = !a.inferred && a.levels[0]?.ctx === Ctx.main;
    let includes = false;
    let mail: Map<Directive | null, Directive[]> | null = null;
    const uses: NameUse[] = [];
    const ssl: SslFacts = { listens: [], certs: new Set(), rejects: new Set() };
    for (const { d, spec } of a.checked) {
      if (!spec) continue;
      const name = spec.name; // a plain field (d.name is a getter)
      const kind = KIND.get(name) ?? 0;
      const slot = spec.slot;
      if (kind === 0 && (slot === '' || !CHECKED_SLOTS.has(slot))) continue;
      if (kind & K_INCLUDE) { if (!isStockInclude(d)) includes = true; continue; }
      const n = d.argCount;
      if (spec.block !== (d.terminator === '{') || !argsOk(spec.args, n)) continue;
      if (kind !== 0) {
        if (kind & K_HANDLER) HANDLER_CHECKS.get(name)!(d, spec.module, settings, report, text);
        if (kind & K_UPSTREAM) checkUpstreamBlock(d, resolveKnown && mentionsResolve, report, text);
        if (whole && (kind & K_SSL) && spec.module.startsWith('ngx_http_')) {
          if (name === 'listen') ssl.listens.push(d);
          else if (name === 'ssl_certificate') ssl.certs.add(d.parent);
          else if (d.args[0].value.toLowerCase() === 'on') ssl.rejects.add(d.parent);
        }
        if (whole && (kind & K_DEFINED)) uses.push({ d, module: spec.module });
        if ((kind & K_MAIL) && spec.module === 'ngx_mail_ssl_module') {
          mail ??= new Map();
          const l = mail.get(d.parent);
          if (l) l.push(d); else mail.set(d.parent, [d]);
        }
      }
      if (n === 0 || !CHECKED_SLOTS.has(slot)) continue;
      const count = slot === 'bitmask' ? n : slot === 'bufs' ? Math.min(2, n) : 1;
      for (let i = 0; i < count; i++) {
        const w = d.args[i];
        const problem = valueProblem(slot, spec.values, w, i);
        if (problem) {
          rc.report({ message: `invalid value "${w.value}" in "${name}" directive: ${problem}`, start: w.start, end: w.end });
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
