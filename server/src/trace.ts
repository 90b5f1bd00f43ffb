/**
 * A trace of the protocol traffic, for modelling what an editor really sends (scripts/bench/
 * trace-extract.mjs turns it into the request mix scripts/bench/traffic.mjs replays). Off unless
 * NGINX_LS_TRACE_FILE names a file; then one JSON line per message is appended to it:
 *   {"t":ms since start,"dir":"in"|"out","kind":"request"|"notification"|"response","method":…,"id":…,"bytes":JSON size,"ms":…}
 * plus, where the message has them, the document (`uri`, `version`), a range's line count, a code
 * action's `only` and `triggerKind`, the id a `$/cancelRequest` cancels, a didChange's change count.
 * `ms` is, for a response, the time from the request's arrival to the answer being handed to the
 * writer (queueing included). Sizes cost one extra JSON encoding per message: a tracing server is
 * slower, so the trace is for the mix and the sizes, not for timings of record.
 */
import { appendFileSync } from 'node:fs';
import type { Message, MessageReader, MessageWriter } from 'vscode-languageserver/node';

interface Rpc { id?: number | string | null; method?: string; params?: unknown; result?: unknown; error?: unknown }

export function traceFile(): string | null {
  return process.env.NGINX_LS_TRACE_FILE || null;
}

/** Wraps `reader` and `writer` so every message through them is traced to `file`. */
export function traceConnection(reader: MessageReader, writer: MessageWriter, file: string): void {
  const t0 = performance.now();
  /** request id → [arrival, method] */
  const arrived = new Map<string | number, [number, string]>();
  let lines: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const out = lines;
    lines = [];
    try {
      appendFileSync(file, out.join(''));
    } catch {
      // an unwritable trace file must not disturb the server
    }
  };
  const record = (dir: 'in' | 'out', m: Rpc) => {
    const now = performance.now();
    const kind = m.method !== undefined ? (m.id !== undefined && m.id !== null ? 'request' : 'notification') : 'response';
    const entry: Record<string, unknown> = { t: Math.round((now - t0) * 10) / 10, dir, kind };
    let body: unknown;
    if (kind === 'response') {
      body = m.error ?? m.result;
      entry.id = m.id;
      const key = dir === 'out' ? m.id : undefined;
      const a = key !== undefined && key !== null ? arrived.get(key) : undefined;
      if (a) {
        arrived.delete(key!);
        entry.method = a[1];
        entry.ms = Math.round((now - a[0]) * 10) / 10;
      }
      if (m.error) entry.error = true;
    } else {
      body = m.params;
      entry.method = m.method;
      if (kind === 'request') {
        entry.id = m.id;
        if (dir === 'in') arrived.set(m.id!, [now, m.method!]);
      }
      const p = m.params as { id?: unknown; textDocument?: { uri?: string; version?: number }; range?: { start: { line: number }; end: { line: number } }; context?: { only?: string[]; triggerKind?: number } } | undefined;
      if (m.method === '$/cancelRequest') entry.cancels = p?.id;
      if (p?.textDocument?.uri) entry.uri = p.textDocument.uri;
      if (p?.textDocument?.version !== undefined) entry.version = p.textDocument.version;
      // what the replay needs of a request: how many lines a range covers, a code action's filter
      if (p?.range?.start && p.range.end) entry.rangeLines = p.range.end.line - p.range.start.line;
      if (p?.context?.only) entry.only = p.context.only;
      if (p?.context?.triggerKind !== undefined) entry.triggerKind = p.context.triggerKind;
      // the shape of an edit matters for the model: how many changes, full text or ranges
      if (m.method === 'textDocument/didChange') {
        const changes = (m.params as { contentChanges?: { range?: unknown }[] } | undefined)?.contentChanges ?? [];
        entry.changes = changes.length;
        entry.full = changes.some((c) => !c.range);
      }
    }
    entry.bytes = body === undefined ? 0 : (JSON.stringify(body)?.length ?? 0);
    lines.push(JSON.stringify(entry) + '\n');
    timer ??= setTimeout(flush, 200);
  };
  const listen = reader.listen.bind(reader);
  reader.listen = (callback) => listen((msg: Message) => {
    record('in', msg as Rpc);
    callback(msg);
  });
  const write = writer.write.bind(writer);
  writer.write = (msg: Message) => {
    record('out', msg as Rpc);
    return write(msg);
  };
  process.on('exit', () => { if (lines.length) flush(); });
}
