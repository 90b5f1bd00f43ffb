/**
 * The command glue of "nginx: Which location handles a URL?" that needs no editor: reading what the
 * user typed into the fields of the `nginx/route` request, and turning the server's answer into the
 * rows of the result list. No `vscode` import, so test/unit/route-client.test.ts runs it directly;
 * all routing knowledge stays in the server (features/route.ts).
 */

/** `nginx/route` params without the document (the contract in docs/routing.md). */
export interface RouteRequestFields {
  url: string;
  host?: string;
  method?: string;
  clientAddress?: string;
  /** `ip:port` the connection arrives on; `*:port` when only the port is known */
  serverAddress?: string;
}

export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export type RouteStepKind =
  | 'server' | 'location' | 'return' | 'rewrite' | 'try_files' | 'index' | 'error_page' | 'redirect' | 'handler' | 'note';

export interface RouteStep {
  kind: RouteStepKind;
  label: string;
  detail?: string;
  uri: string;
  range: Range;
}

export interface RouteResult {
  server: RouteStep | null;
  location: RouteStep | null;
  chain: RouteStep[];
  normalizedUri: string;
  notes: string[];
}

/** What the CodeLens hands the command: the request fields and the URL it showed. */
export interface RouteCommandArgs extends RouteRequestFields {
  /** the document to route in (a CodeLens's own file); else the active editor's */
  uri?: string;
  /** what the user typed (`[METHOD] URL [from IP]`): parsed when `url` is not given, else only shown */
  input?: string;
}

export type ParsedInput = { ok: true; fields: RouteRequestFields } | { ok: false; error: string };

const METHOD = /^[A-Z][A-Z-]*$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * Reads `[METHOD] URL [from CLIENT-IP]`: the URL is a full `http(s)://host[:port]/path?query` (Host
 * and the port the connection arrives on are taken from it), `host[:port]/path`, or an origin-form
 * `/path?query` (Host left to the server's default). The fragment is dropped: browsers never send it.
 */
export function parseRouteInput(input: string): ParsedInput {
  const words = input.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: false, error: 'Type a URL such as http://example.com/path or /path' };
  let method: string | undefined;
  if (words.length > 1 && METHOD.test(words[0])) method = words.shift();
  const target = words.shift()!;
  let clientAddress: string | undefined;
  while (words.length) {
    const w = words.shift()!.toLowerCase();
    const value = words.shift();
    if (w === 'from' && value && isAddress(value)) clientAddress = stripBrackets(value);
    else return { ok: false, error: `Not understood: "${[w, value].filter(Boolean).join(' ')}" (expected "from <client IP>")` };
  }
  const split = splitTarget(target);
  if ('error' in split) return { ok: false, error: split.error };
  const fields: RouteRequestFields = { url: split.path };
  if (split.host !== undefined) fields.host = split.host;
  if (split.port !== undefined) {
    // the connection's own address is the URL's host when that is an address; else only the port is known
    const ip = split.host !== undefined && isAddress(split.host) ? split.host : '*';
    fields.serverAddress = `${ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip}:${split.port}`;
  }
  if (method) fields.method = method;
  if (clientAddress) fields.clientAddress = clientAddress;
  return { ok: true, fields };
}

function splitTarget(target: string): { path: string; host?: string; port?: number } | { error: string } {
  const noFragment = target.replace(/#.*$/s, '');
  if (noFragment.startsWith('/')) return { path: noFragment };
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?]*)(.*)$/s.exec(noFragment);
  if (!m) return { error: `Not a URL: ${target}` };
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { error: `Only http and https URLs are routed (not ${scheme}:)` };
  let authority = m[2].replace(/^.*@/, ''); // user:password@ is not part of the Host header
  let port = scheme === 'https' ? 443 : 80;
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (!portMatch) return { error: `Not a host[:port]: ${m[2]}` };
  authority = portMatch[1];
  if (portMatch[2]) {
    port = Number(portMatch[2]);
    if (port < 1 || port > 65535) return { error: `Not a port: ${portMatch[2]}` };
  }
  if (authority === '') return { error: `No host in ${target}` };
  let path = m[3] || '/';
  if (path.startsWith('?')) path = `/${path}`;
  return { path, host: authority.toLowerCase(), port };
}

function stripBrackets(a: string): string {
  return a.startsWith('[') && a.endsWith(']') ? a.slice(1, -1) : a;
}

function isAddress(s: string): boolean {
  const a = stripBrackets(s);
  return IPV4.test(a) || (a.includes(':') && /^[0-9A-Fa-f:.]+$/.test(a));
}

/** A row of the result list: a step, or a note with nowhere to go. */
export interface RouteRow {
  /** with a codicon, as QuickPick labels take them */
  label: string;
  description?: string;
  detail?: string;
  step?: RouteStep;
  /** a separator row above the notes */
  separator?: boolean;
}

const ICON: Record<RouteStepKind, string> = {
  server: '$(server)',
  location: '$(symbol-namespace)',
  return: '$(reply)',
  rewrite: '$(replace)',
  try_files: '$(files)',
  index: '$(list-ordered)',
  error_page: '$(error)',
  redirect: '$(arrow-right)',
  handler: '$(play)',
  note: '$(info)',
};

function sameStep(a: RouteStep, b: RouteStep): boolean {
  return a.kind === b.kind && a.uri === b.uri && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.label === b.label;
}

/**
 * The rows, in the order nginx takes the steps: server, location, then the chain (a step the chain
 * repeats is listed once), then the notes. `where(uri, line)` names a step's place (`site.conf:12`).
 */
export function routeRows(result: RouteResult, where: (uri: string, line: number) => string): RouteRow[] {
  const steps: RouteStep[] = [];
  for (const s of [result.server, result.location, ...result.chain]) {
    if (s && !steps.some((t) => sameStep(s, t))) steps.push(s);
  }
  const rows: RouteRow[] = steps.map((s) => ({
    label: `${ICON[s.kind] ?? ICON.note} ${s.label}`,
    description: where(s.uri, s.range.start.line),
    ...(s.detail ? { detail: s.detail } : {}),
    step: s,
  }));
  if (!result.server) rows.unshift({ label: `${ICON.note} No server accepts this request` });
  else if (!result.location) rows.splice(1, 0, { label: `${ICON.note} No location matches ${result.normalizedUri}` });
  if (result.notes.length) {
    rows.push({ label: 'notes', separator: true });
    for (const n of result.notes) rows.push({ label: `${ICON.note} ${n}` });
  }
  return rows;
}

/** The title of the result list: the request as routed, and the URI nginx matched locations against. */
export function routeTitle(fields: RouteRequestFields, result: RouteResult): string {
  const host = fields.host ? `${fields.host}${fields.serverAddress && !/:(80|443)$/.test(fields.serverAddress) ? `:${fields.serverAddress.replace(/^.*:/, '')}` : ''}` : '';
  const req = `${fields.method ?? 'GET'} ${host}${fields.url}`;
  return result.normalizedUri && result.normalizedUri !== fields.url.replace(/\?.*$/s, '') ? `${req}  (as ${result.normalizedUri})` : req;
}
