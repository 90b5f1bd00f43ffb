#!/usr/bin/env node
/**
 * Generates server/src/service/knowledge/directives.generated.ts: the directive table as nginx
 * itself checks it (allowed contexts, argument counts, block-ness, slot handler, enum values),
 * read from the `ngx_command_t` arrays of the nginx sources and of third-party module sources.
 *
 * Usage:
 *   node scripts/generate-directives.mjs <source dir>... [--so <module.so>]... [--out <file>]
 *
 * Each source dir is searched recursively for *.c files (quilt's .pc/, tests and examples are
 * skipped). `--so` reads a compiled dynamic module (x86-64 ELF) when its sources are not at hand:
 * the exported `ngx_modules[]` array leads to each module's `commands` array; slot handlers are
 * known when they are nginx's own (imported by name), enum tables are read from the data.
 * A directive found in a source dir wins over the same module's directive read from a .so (the two
 * agree on every directive both hold: checked on Debian's 461 dynamic-module directives).
 *
 * How the committed table was made (Debian bookworm, nginx 1.22.1 + every libnginx-mod-* package):
 *   echo 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main' \
 *     > /etc/apt/sources.list.d/src.list && apt-get update && apt-get install -y dpkg-dev
 *   mkdir -p /tmp/ngxsrc/mods && cd /tmp/ngxsrc && apt-get source nginx && cd mods
 *   for p in libnginx-mod-http-{echo,headers-more-filter,lua,ndk,set-misc,fancyindex,geoip2,subs-filter,dav-ext,upstream-fair}; do
 *     apt-get source $p || apt-get source --download-only $p; done; for t in *.orig.tar.*; do tar xf $t; done
 *   # modules whose source package the mirror lacks: the compiled .so of the binary package
 *   mkdir ../debs && cd ../debs && apt-get download libnginx-mod-{rtmp,http-brotli-filter,http-brotli-static,http-js,stream-js,\
 *     http-memc,http-srcache-filter,http-modsecurity} && for d in *.deb; do dpkg-deb -x $d x; done
 *   node scripts/generate-directives.mjs /tmp/ngxsrc/nginx-1.22.1 /tmp/ngxsrc/mods/<each extracted module dir> \
 *     --so /usr/lib/nginx/modules/{ngx_nchan_module,ngx_http_auth_pam_module,ngx_http_cache_purge_module,ngx_http_uploadprogress_module,ndk_http_module}.so \
 *     --so /tmp/ngxsrc/debs/x/usr/lib/nginx/modules/<each>.so
 * (Where both exist, the source and the .so agree on every directive: checked on 461 directives.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let out = path.resolve(here, '..', 'server/src/service/knowledge/directives.generated.ts');
// --json FILE: the rows as JSON, plus deprecations and the parameters of the hand-parsed
// listen/upstream-server handlers (scripts/generate-directive-versions.mjs reads it per nginx release)
let jsonOut = null;
const srcDirs = [];
const soFiles = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--so') soFiles.push(argv[++i]);
  else if (argv[i] === '--out') out = path.resolve(argv[++i]);
  else if (argv[i] === '--json') jsonOut = path.resolve(argv[++i]);
  else srcDirs.push(argv[i]);
}
if (srcDirs.length === 0) {
  console.error('usage: node scripts/generate-directives.mjs <nginx source dir> [module source dir...] [--so module.so...] [--out file]');
  process.exit(2);
}

// ------------------------------------------------------------------ nginx's numbers
const T = {
  NGX_CONF_NOARGS: 0x1, NGX_CONF_TAKE1: 0x2, NGX_CONF_TAKE2: 0x4, NGX_CONF_TAKE3: 0x8, NGX_CONF_TAKE4: 0x10,
  NGX_CONF_TAKE5: 0x20, NGX_CONF_TAKE6: 0x40, NGX_CONF_TAKE7: 0x80,
  NGX_CONF_TAKE12: 0x6, NGX_CONF_TAKE13: 0xa, NGX_CONF_TAKE23: 0xc, NGX_CONF_TAKE123: 0xe, NGX_CONF_TAKE1234: 0x1e,
  NGX_CONF_ARGS_NUMBER: 0xff, NGX_CONF_BLOCK: 0x100, NGX_CONF_FLAG: 0x200, NGX_CONF_ANY: 0x400,
  NGX_CONF_1MORE: 0x800, NGX_CONF_2MORE: 0x1000, NGX_CONF_MULTI: 0, NGX_DIRECT_CONF: 0x10000,
  NGX_MAIN_CONF: 0x01000000, NGX_ANY_CONF: 0xff000000,
  NGX_HTTP_MAIN_CONF: 0x02000000, NGX_HTTP_SRV_CONF: 0x04000000, NGX_HTTP_LOC_CONF: 0x08000000,
  NGX_HTTP_UPS_CONF: 0x10000000, NGX_HTTP_SIF_CONF: 0x20000000, NGX_HTTP_LIF_CONF: 0x40000000, NGX_HTTP_LMT_CONF: 0x80000000,
  NGX_STREAM_MAIN_CONF: 0x02000000, NGX_STREAM_SRV_CONF: 0x04000000, NGX_STREAM_UPS_CONF: 0x08000000,
  NGX_MAIL_MAIN_CONF: 0x02000000, NGX_MAIL_SRV_CONF: 0x04000000, NGX_EVENT_CONF: 0x02000000,
};
const MODULE_TYPES = {
  NGX_CORE_MODULE: 'core', NGX_CONF_MODULE: 'conf', NGX_EVENT_MODULE: 'event', NGX_HTTP_MODULE: 'http',
  NGX_STREAM_MODULE: 'stream', NGX_MAIL_MODULE: 'mail',
};
const MODULE_TYPE_NUM = { 0x45524f43: 'core', 0x464e4f43: 'conf', 0x544e5645: 'event', 0x50545448: 'http', 0x4d525453: 'stream', 0x4c49414d: 'mail' };

// our context bits (one per place a directive can be written; see directiveDb.ts Ctx)
const C = { main: 1, events: 2, http: 4, server: 8, location: 16, upstream: 32, sif: 64, lif: 128, limit_except: 256,
  stream: 512, stream_server: 1024, stream_upstream: 2048, mail: 4096, mail_server: 8192 };
const ALL = 0x3fff;

/** nginx's (module type, cmd->type) → our context bits, following ngx_conf_handler(). */
function contextBits(family, type) {
  const t = type >>> 0;
  let m = 0;
  const has = (bit) => (t & bit) !== 0;
  switch (family) {
    case 'conf': return (t & 0xff000000) ? ALL : 0; // `include`: module type not checked, NGX_ANY_CONF
    case 'core': if (has(0x01000000)) m |= C.main; break;
    case 'event': if (has(0x02000000)) m |= C.events; break;
    case 'http':
      if (has(0x02000000)) m |= C.http; if (has(0x04000000)) m |= C.server; if (has(0x08000000)) m |= C.location;
      if (has(0x10000000)) m |= C.upstream; if (has(0x20000000)) m |= C.sif; if (has(0x40000000)) m |= C.lif;
      if (has(0x80000000)) m |= C.limit_except; break;
    case 'stream':
      if (has(0x02000000)) m |= C.stream; if (has(0x04000000)) m |= C.stream_server; if (has(0x08000000)) m |= C.stream_upstream; break;
    case 'mail': if (has(0x02000000)) m |= C.mail; if (has(0x04000000)) m |= C.mail_server; break;
  }
  return m;
}

const STD_SLOTS = {
  ngx_conf_set_flag_slot: 'flag', ngx_conf_set_str_slot: 'str', ngx_conf_set_str_array_slot: 'str_array',
  ngx_conf_set_keyval_slot: 'keyval', ngx_conf_set_num_slot: 'num', ngx_conf_set_size_slot: 'size',
  ngx_conf_set_off_slot: 'off', ngx_conf_set_msec_slot: 'msec', ngx_conf_set_sec_slot: 'sec',
  ngx_conf_set_bufs_slot: 'bufs', ngx_conf_set_enum_slot: 'enum', ngx_conf_set_bitmask_slot: 'bitmask',
  ngx_conf_set_path_slot: 'path', ngx_conf_set_access_slot: 'access',
};
/** slots that answer "is duplicate" when set twice on one level (ngx_conf_file.c, ngx_file.c) */
const DUP_SLOTS = new Set(['flag', 'str', 'num', 'size', 'off', 'msec', 'sec', 'bufs', 'enum', 'path', 'access']);

// ------------------------------------------------------------------ C sources
function cFiles(dir, acc = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (['.pc', '.git', 't', 'test', 'tests', 'examples', 'debian'].includes(e.name)) continue;
      cFiles(path.join(dir, e.name), acc);
    } else if (/\.[ch]$/.test(e.name)) acc.push(path.join(dir, e.name));
  }
  return acc;
}

/** Removes comments (strings kept) and code under `#if 0` / `#if (NGX_WIN32)` or in `#else` branches of other conditions (Debian builds every option in). */
function clean(src) {
  let s = src.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|("(?:\\.|[^"\\\n])*")/g, (m, str) => (str ? str : m.startsWith('/*') ? m.replace(/[^\n]/g, ' ') : ''));
  const lines = s.split('\n');
  const stack = []; // true = skipping
  const outLines = [];
  for (const line of lines) {
    const m = /^\s*#\s*(if|ifdef|ifndef|else|elif|endif)\b(.*)$/.exec(line);
    if (m) {
      const parentSkip = stack.length > 0 && stack[stack.length - 1].skip;
      if (m[1] === 'if' || m[1] === 'ifdef' || m[1] === 'ifndef') {
        // Debian builds for Linux: Windows-only code is out, everything else is in
        const zero = m[1] === 'if' && (/^\s*0\s*$/.test(m[2]) || /^\s*\(\s*NGX_WIN32\s*\)\s*$/.test(m[2]));
        const ndef = m[1] === 'ifndef';
        stack.push({ skip: parentSkip || zero, taken: !zero, parentSkip, ndef });
      } else if (m[1] === 'else' || m[1] === 'elif') {
        const top = stack[stack.length - 1];
        if (top) { top.skip = top.parentSkip || top.taken; top.taken = true; }
      } else stack.pop();
      outLines.push('');
      continue;
    }
    outLines.push(stack.length && stack[stack.length - 1].skip ? '' : line);
  }
  return outLines.join('\n');
}

/** Splits a C initializer list at top-level commas. */
function splitTop(s) {
  const parts = [];
  let depth = 0, cur = '', q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) { cur += c; if (c === '\\') { cur += s[++i]; } else if (c === '"') q = false; continue; }
    if (c === '"') { q = true; cur += c; continue; }
    if (c === '(' || c === '{') depth++;
    if (c === ')' || c === '}') depth--;
    if (c === ',' && depth === 0) { parts.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

const functions = new Map(); // handler name → body
const valueTables = new Map(); // enum/bitmask array name → values
const commandArrays = new Map(); // array name → { file, entries }
const modules = new Map(); // commands array name → { module, family }
const variables = new Map(); // "http:name" → prefix? (from ngx_http_variable_t / ngx_stream_variable_t arrays)
const macros = new Map(); // simple #define NAME (A|B) used in type expressions
const deprecations = new Map(); // ngx_conf_deprecated_t variable → the directive to use instead

for (const dir of srcDirs) {
  for (const file of cFiles(dir)) {
    const raw = fs.readFileSync(file, 'utf8');
    if (raw.indexOf('ngx_command_t') < 0 && raw.indexOf('ngx_conf_enum_t') < 0 && raw.indexOf('ngx_conf_bitmask_t') < 0
      && raw.indexOf('ngx_conf_t *cf') < 0 && raw.indexOf('#define') < 0) continue;
    for (const m of raw.matchAll(/^#define\s+(NGX_\w+_CONF\w*|NGX_CONF_\w+)\s+\(?([A-Z0-9_|\s\\]+)\)?\s*$/gm)) {
      if (!(m[1] in T)) macros.set(m[1], m[2].replace(/\\\n/g, ' '));
    }
    const src = clean(raw);
    for (const m of src.matchAll(/^(?:static\s+)?char\s*\*\s*\n?\s*(\w+)\s*\(\s*ngx_conf_t\s*\*\s*cf\s*,\s*ngx_command_t\s*\*\s*cmd\s*,\s*void\s*\*\s*conf\s*\)\s*\{([\s\S]*?)\n\}/gm)) {
      functions.set(m[1], m[2]);
    }
    for (const m of src.matchAll(/ngx_conf_(?:enum|bitmask)_t\s+(\w+)\s*\[\s*\]\s*=\s*\{([\s\S]*?)\};/g)) {
      valueTables.set(m[1], [...m[2].matchAll(/ngx_string\s*\(\s*"((?:\\.|[^"\\])*)"\s*\)/g)].map((x) => x[1]));
    }
    for (const m of src.matchAll(/ngx_conf_deprecated_t\s+(\w+)\s*=\s*\{\s*\w+\s*,\s*"[^"]*"\s*,\s*"([^"]*)"\s*\}/g)) {
      deprecations.set(m[1], m[2]);
    }
    for (const m of src.matchAll(/ngx_command_t\s+(\w+)\s*\[\s*\]\s*=\s*\{([\s\S]*?)ngx_null_command/g)) {
      const entries = [];
      for (const e of m[2].matchAll(/\{\s*(ngx_string\s*\(\s*"[^"]*"\s*\)[\s\S]*?)\}\s*,/g)) {
        const parts = splitTop(e[1]);
        const name = /"([^"]*)"/.exec(parts[0])[1];
        entries.push({ name, type: parts[1], set: parts[2], post: parts[5] ?? 'NULL' });
      }
      commandArrays.set(m[1], { file, entries });
    }
    for (const m of src.matchAll(/ngx_(http|stream)_variable_t\s+\w+\s*\[\s*\]\s*=\s*\{([\s\S]*?)ngx_\1_null_variable/g)) {
      for (const e of m[2].matchAll(/\{\s*ngx_string\s*\(\s*"([^"]+)"\s*\)([^}]*)\}/g)) {
        const key = `${m[1]}:${e[1]}`;
        variables.set(key, (variables.get(key) ?? false) || /_VAR_PREFIX/.test(e[2]));
      }
    }
    for (const m of src.matchAll(/ngx_module_t\s+(\w+)\s*=\s*\{\s*NGX_MODULE_V1\s*,([\s\S]*?)\};/g)) {
      const parts = splitTop(m[2]);
      const cmds = parts[1]?.trim();
      const family = MODULE_TYPES[parts[2]?.trim()];
      if (cmds && cmds !== 'NULL' && family) modules.set(cmds, { module: m[1], family });
    }
  }
}

function typeValue(expr, where) {
  let v = 0;
  for (let sym of expr.replace(/[()]/g, ' ').split(/[|\s]+/).filter(Boolean)) {
    if (sym in T) v |= T[sym];
    else if (macros.has(sym)) v |= typeValue(macros.get(sym), where);
    else if (/^0x[0-9a-f]+$|^\d+$/i.test(sym)) v |= Number(sym);
    else throw new Error(`unknown type flag ${sym} in ${where}`);
  }
  return v >>> 0;
}

function slotOf(set) {
  return STD_SLOTS[set] ?? '';
}

function dupOf(set) {
  const slot = slotOf(set);
  if (slot) return DUP_SLOTS.has(slot);
  const body = functions.get(set);
  if (!body) return false;
  // a handler that refuses a second use before it even reads its arguments ("is duplicate" or
  // "… directive is duplicate, … was specified earlier"); checks made after reading the
  // arguments depend on them (`mirror off` vs `mirror /uri`) and are not modelled
  const dup = body.search(/is duplicate/);
  if (dup >= 0) {
    const args = body.search(/cf->args|value\s*\[/);
    // `if (plcf->redirect == 0) return "is duplicate"`: only a repeat after `… off` is refused
    // (proxy_redirect, proxy_cookie_domain/path/flags), not every repeat
    const cond = /if\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*\{?\s*return\s+"is duplicate"/.exec(body.slice(Math.max(0, dup - 200), dup + 20));
    const afterOff = !!cond && /==\s*(?:0|NULL)\s*$/.test(cond[1].trim());
    if ((args < 0 || dup < args) && !afterOff) return true;
  }
  // a custom handler that hands the whole directive to a standard slot inherits its check
  const m = /ngx_conf_set_(\w+?)_slot\s*\(\s*cf\s*,\s*cmd\s*,\s*conf\s*\)/.exec(body);
  return !!(m && DUP_SLOTS.has(m[1]));
}

function customBody(set, name) {
  if (name.endsWith('_by_lua_block')) return true;
  const body = functions.get(set);
  return !!body && /(?<![\w>.])cf->handler\s*=/.test(body);
}

const rows = []; // [name, module, family, ctx, args, slot, values, flags]
const deprecatedRows = new Map(); // "name module" → replacement directive (ngx_conf_deprecated post handler)
const seenModules = new Map(); // module → directive names read from sources
for (const [arrayName, { file, entries }] of commandArrays) {
  const mod = modules.get(arrayName);
  if (!mod) continue; // an array not registered by any module (tests, examples)
  if (!seenModules.has(mod.module)) seenModules.set(mod.module, new Set());
  for (const e of entries) {
    seenModules.get(mod.module).add(e.name);
    const type = typeValue(e.type, `${file}: ${e.name}`);
    const slot = slotOf(e.set);
    let values = [];
    if ((slot === 'enum' || slot === 'bitmask') && e.post.startsWith('&')) values = valueTables.get(e.post.slice(1).trim()) ?? [];
    const flags = (dupOf(e.set) ? 1 : 0) | (customBody(e.set, e.name) ? 2 : 0);
    rows.push([e.name, mod.module, mod.family, contextBits(mod.family, type), type & 0x1fff, slot, values, flags]);
    // ngx_conf_deprecated as post handler, or a handler that only warns "is obsolete" (http2_push
    // from 1.25.1: "obsolete, ignored", with no replacement)
    let dep = e.post.startsWith('&') ? deprecations.get(e.post.slice(1).trim()) : undefined;
    if (/is obsolete/.test(functions.get(e.set) ?? '')) dep ??= '';
    if (dep !== undefined) deprecatedRows.set(`${e.name} ${mod.module}`, dep);
  }
}

// ------------------------------------------------------------------ compiled modules (ELF x86-64)
function readSo(file) {
  const b = fs.readFileSync(file);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error(`${file}: not a 64-bit little-endian ELF`);
  const shoff = Number(b.readBigUInt64LE(0x28)), shentsize = b.readUInt16LE(0x3a), shnum = b.readUInt16LE(0x3c);
  const secs = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    secs.push({ type: b.readUInt32LE(o + 4), addr: Number(b.readBigUInt64LE(o + 16)), offset: Number(b.readBigUInt64LE(o + 24)),
      size: Number(b.readBigUInt64LE(o + 32)), link: b.readUInt32LE(o + 40), entsize: Number(b.readBigUInt64LE(o + 56)) });
  }
  const fileOff = (va) => {
    for (const s of secs) if (s.addr && va >= s.addr && va < s.addr + s.size && s.type !== 8 /* NOBITS */) return va - s.addr + s.offset;
    return -1;
  };
  const dynsym = secs.find((s) => s.type === 11);
  const dynstr = secs[dynsym.link];
  const cstr = (off) => { let e = off; while (b[e]) e++; return b.toString('latin1', off, e); };
  const syms = [];
  for (let o = dynsym.offset; o < dynsym.offset + dynsym.size; o += 24) {
    syms.push({ name: cstr(dynstr.offset + b.readUInt32LE(o)), value: Number(b.readBigUInt64LE(o + 8)) });
  }
  const rel = new Map(); // vaddr → { sym name | null, addend }
  for (const s of secs) {
    if (s.type !== 4) continue; // RELA
    for (let o = s.offset; o < s.offset + s.size; o += 24) {
      const off = Number(b.readBigUInt64LE(o)), info = b.readBigUInt64LE(o + 8), addend = Number(b.readBigInt64LE(o + 16));
      const symIdx = Number(info >> 32n);
      // a defined symbol (R_X86_64_64 to a local object) resolves to its value; an undefined one (an nginx function) keeps its name
      const sym = symIdx ? syms[symIdx] : null;
      rel.set(off, sym && sym.value ? { sym: null, addend: sym.value + addend } : { sym: sym ? sym.name : null, addend });
    }
  }
  const ptr = (va) => { const r = rel.get(va); if (r) return r; const fo = fileOff(va); return { sym: null, addend: fo < 0 ? 0 : Number(b.readBigUInt64LE(fo)) }; };
  const u64 = (va) => Number(b.readBigUInt64LE(fileOff(va)));
  const str = (va, len) => { const fo = fileOff(va); return b.toString('latin1', fo, len === undefined ? b.indexOf(0, fo) : fo + len); };
  const modsSym = syms.find((s) => s.name === 'ngx_modules');
  const namesSym = syms.find((s) => s.name === 'ngx_module_names');
  if (!modsSym || !namesSym) throw new Error(`${file}: no ngx_modules/ngx_module_names (not a dynamic nginx module?)`);
  const found = [];
  for (let i = 0; ; i++) {
    const m = ptr(modsSym.value + i * 8).addend;
    if (!m) break;
    const name = str(ptr(namesSym.value + i * 8).addend);
    // modules of a family this table does not model (rtmp's NGX_RTMP_MODULE) are left out; their
    // block directive in the core family is then marked as having a custom body (see below)
    const family = MODULE_TYPE_NUM[u64(m + 72)];
    const cmds = ptr(m + 64).addend;
    const entries = [];
    for (let c = cmds; cmds && u64(c) !== 0; c += 56) {
      const set = ptr(c + 24);
      const post = ptr(c + 48).addend;
      entries.push({ name: str(ptr(c + 8).addend, u64(c)), type: u64(c + 16) >>> 0, set: set.sym ?? '', post });
    }
    found.push({ name, family, entries, readTable: (va) => {
      const vals = [];
      for (let e = va; u64(e) !== 0; e += 24) vals.push(str(ptr(e + 8).addend, u64(e)));
      return vals;
    } });
  }
  return found;
}

for (const so of soFiles) {
  const mods = readSo(so);
  const foreign = mods.some((m) => !m.family);
  for (const m of mods) {
    if (!m.family) continue;
    // sources win; the binary only adds what the sources hide (commands pulled in through #include, as in ndk)
    const known = seenModules.get(m.name) ?? new Set();
    for (const e of m.entries) {
      if (known.has(e.name)) continue;
      const slot = slotOf(e.set);
      const values = (slot === 'enum' || slot === 'bitmask') && e.post ? m.readTable(e.post) : [];
      // handler bodies are not visible in a binary: only standard slots are known to check duplicates
      const custom = e.name.endsWith('_by_lua_block') || (foreign && m.family === 'core' && (e.type & T.NGX_CONF_BLOCK) !== 0);
      const flags = (slot && DUP_SLOTS.has(slot) ? 1 : 0) | (custom ? 2 : 0);
      rows.push([e.name, m.name, m.family, contextBits(m.family, e.type), e.type & 0x1fff, slot, values, flags]);
    }
  }
}

rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
const moduleNames = [...new Set(rows.map((r) => r[1]))].sort();

const header = `// GENERATED FILE: DO NOT EDIT.
// The nginx directive table as nginx checks it: one row per ngx_command_t entry of
// nginx ${detectVersion()} and the third-party modules of Debian's nginx-extras.
// Regenerate with:  node scripts/generate-directives.mjs <nginx src dir> [module src dirs...] [--so module.so...]
// (see the script's header for the exact Debian commands).
//
// Row: [name, module index, context bits (see directiveDb.ts Ctx), argument bits (nginx NGX_CONF_* low bits),
//       slot handler ('' = custom), enum/bitmask values, flags (1 = "is duplicate" when repeated, 2 = custom body)]
`;
function detectVersion() {
  for (const d of srcDirs) {
    for (const f of [path.join(d, 'core/nginx.h'), path.join(d, 'src/core/nginx.h')]) {
      if (fs.existsSync(f)) { const m = /#define\s+NGINX_VERSION\s+"([^"]+)"/.exec(fs.readFileSync(f, 'utf8')); if (m) return m[1]; }
    }
  }
  return '(unknown version)';
}
const version = detectVersion();

/** The words a hand-written handler compares its arguments with (`ngx_strcmp(value[n].data, "ssl")`,
 *  `ngx_strncmp(value[i].data, "weight=", 7)`): the parameters it accepts. */
function handlerParams(fn) {
  const body = functions.get(fn);
  if (!body) return null;
  const out = new Map(); // parameter (`name=` for keyed ones) → the handler warns that it is deprecated
  const hits = [...body.matchAll(/ngx_str(?:n)?(?:case)?cmp\s*\(\s*(?:\(u_char \*\)\s*)?value\s*\[\s*\w+\s*\]\s*\.data\s*,\s*(?:\(u_char \*\)\s*)?"([^"]+)"/g)];
  hits.forEach((m, i) => {
    const name = m[1].includes('=') ? m[1].slice(0, m[1].indexOf('=') + 1) : m[1];
    // the code between this comparison and the next one is what the handler does with the parameter
    const branch = body.slice(m.index, i + 1 < hits.length ? hits[i + 1].index : body.length);
    out.set(name, (out.get(name) ?? false) || /is deprecated/.test(branch));
  });
  return [...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([n, dep]) => (dep ? `${n} deprecated` : n));
}
const PARAM_HANDLERS = {
  'listen:http': 'ngx_http_core_listen', 'listen:stream': 'ngx_stream_core_listen', 'listen:mail': 'ngx_mail_core_listen',
  'server:upstream': 'ngx_http_upstream_server', 'server:stream_upstream': 'ngx_stream_upstream_server',
};
if (jsonOut) {
  const params = {};
  for (const [k, fn] of Object.entries(PARAM_HANDLERS)) { const p = handlerParams(fn); if (p) params[k] = p; }
  const vars = [...variables].map(([k, prefix]) => (prefix ? `${k} prefix` : k)).sort();
  fs.writeFileSync(jsonOut, JSON.stringify({ version, rows, deprecated: Object.fromEntries(deprecatedRows), params, variables: vars }));
  console.error(`wrote ${rows.length} directives (${version}) to ${jsonOut}`);
  process.exit(0);
}
let body = header;
body += `export const SOURCE_VERSION = ${JSON.stringify(version)};\n\n`;
body += `export const MODULES: readonly string[] = ${JSON.stringify(moduleNames)};\n\n`;
const vars = [...variables].sort((a, b) => (a[0] < b[0] ? -1 : 1));
body += `/** Built-in variables registered statically by the modules above ("family:name"; prefix families end with "_"). */\n`;
body += `export const VARIABLES: readonly string[] = ${JSON.stringify(vars.filter((v) => !v[1]).map((v) => v[0]))};\n`;
body += `export const VARIABLE_PREFIXES: readonly string[] = ${JSON.stringify(vars.filter((v) => v[1]).map((v) => v[0]))};\n\n`;
body += `export type DirectiveRow = readonly [string, number, number, number, string, readonly string[], number];\n\n`;
body += `export const DIRECTIVE_ROWS: readonly DirectiveRow[] = [\n`;
for (const r of rows) {
  body += `  [${JSON.stringify(r[0])}, ${moduleNames.indexOf(r[1])}, ${r[3]}, ${r[4]}, ${JSON.stringify(r[5])}, ${JSON.stringify(r[6])}, ${r[7]}],\n`;
}
body += `];\n`;
fs.writeFileSync(out, body);
console.error(`wrote ${rows.length} directives from ${moduleNames.length} modules (${version}) to ${path.relative(process.cwd(), out)}`);
