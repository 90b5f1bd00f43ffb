/** User settings (`nginx.*` in VS Code; a JSON file or flags for the CLI). */
export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

export interface CustomDirective {
  name: string;
  /** block names where it may appear: 'main' | 'events' | 'http' | 'server' | 'location' | 'upstream' | 'if' | 'stream' | 'mail' | … ('any' for everywhere) */
  contexts: string[];
  /** argument count: a number, 'N-M', 'N+' or 'any'; default 'any' */
  args?: string | number;
  /** true when it takes a block */
  block?: boolean;
}

export interface Settings {
  /** target nginx version, e.g. "1.26"; '' = latest */
  version: string;
  /** NGINX Plus directives allowed */
  plus: boolean;
  customDirectives: CustomDirective[];
  /** rule code → severity or 'off' */
  rules: Record<string, SeverityName | 'off'>;
  websocket: {
    /** value the timeout fixes write */
    timeout: string;
    /** optional client heartbeat interval; timeouts must exceed twice it */
    heartbeatInterval: string;
  };
  /** main files (globs, workspace-relative); empty = every nginx.conf */
  mainFiles: string[];
  /** absolute path prefix (e.g. /etc/nginx) → workspace folder path */
  pathMap: Record<string, string>;
  format: {
    alignMapValues: boolean;
  };
  inlayHints: {
    /** effective values at WebSocket locations (defaults, inherited values, dropped headers) */
    enabled: boolean;
  };
  codeLens: {
    /** an example URL above each location, proven to reach it (features/routeExamples.ts) */
    routes: boolean;
  };
  diagnostics: {
    /** 'configuration': every file a main file includes gets diagnostics, open or not; 'openFiles': open files only */
    scope: 'configuration' | 'openFiles';
    /** most files of the configurations checked when they are not open */
    maxFiles: number;
  };
}

export const defaultSettings: Settings = {
  version: '',
  plus: false,
  customDirectives: [],
  rules: {},
  websocket: { timeout: '3600s', heartbeatInterval: '' },
  mainFiles: [],
  pathMap: {},
  format: { alignMapValues: false },
  inlayHints: { enabled: true },
  codeLens: { routes: true },
  diagnostics: { scope: 'configuration', maxFiles: 10_000 },
};

/** Merges a partial settings object (as sent by an editor; unknown keys ignored, wrong types dropped) over the defaults. */
export function resolveSettings(input: unknown): Settings {
  const s = structuredClone(defaultSettings);
  if (!input || typeof input !== 'object') return s;
  const i = input as Record<string, any>;
  if (typeof i.version === 'string') s.version = i.version.trim();
  if (typeof i.plus === 'boolean') s.plus = i.plus;
  if (Array.isArray(i.customDirectives)) {
    s.customDirectives = i.customDirectives.filter(
      (d: any) => d && typeof d.name === 'string' && d.name.length > 0,
    ).map((d: any) => ({
      name: d.name,
      contexts: Array.isArray(d.contexts) ? d.contexts.filter((c: any) => typeof c === 'string') : ['any'],
      args: typeof d.args === 'string' || typeof d.args === 'number' ? d.args : 'any',
      block: d.block === true,
    }));
  }
  if (i.rules && typeof i.rules === 'object') {
    for (const [k, v] of Object.entries(i.rules)) {
      if (v === 'error' || v === 'warning' || v === 'information' || v === 'hint' || v === 'off') s.rules[k] = v;
    }
  }
  if (i.websocket && typeof i.websocket === 'object') {
    if (typeof i.websocket.timeout === 'string' && i.websocket.timeout.trim()) s.websocket.timeout = i.websocket.timeout.trim();
    if (typeof i.websocket.heartbeatInterval === 'string') s.websocket.heartbeatInterval = i.websocket.heartbeatInterval.trim();
  }
  if (Array.isArray(i.mainFiles)) s.mainFiles = i.mainFiles.filter((x: any) => typeof x === 'string');
  if (i.pathMap && typeof i.pathMap === 'object') {
    for (const [k, v] of Object.entries(i.pathMap)) if (typeof v === 'string') s.pathMap[k] = v;
  }
  if (i.format && typeof i.format === 'object' && typeof i.format.alignMapValues === 'boolean') {
    s.format.alignMapValues = i.format.alignMapValues;
  }
  if (i.inlayHints && typeof i.inlayHints === 'object' && typeof i.inlayHints.enabled === 'boolean') s.inlayHints.enabled = i.inlayHints.enabled;
  if (i.codeLens && typeof i.codeLens === 'object' && typeof i.codeLens.routes === 'boolean') s.codeLens.routes = i.codeLens.routes;
  if (i.diagnostics && typeof i.diagnostics === 'object') {
    if (i.diagnostics.scope === 'configuration' || i.diagnostics.scope === 'openFiles') s.diagnostics.scope = i.diagnostics.scope;
    const n = i.diagnostics.maxFiles;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) s.diagnostics.maxFiles = Math.floor(n);
  }
  return s;
}
