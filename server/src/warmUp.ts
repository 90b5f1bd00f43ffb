/**
 * Each feature run once over a small configuration when the server starts, in idle time, on a
 * service of its own (no workspace, no disk).
 *
 * Why: the first request of a kind pays for compiling its code — 10–15 ms for the first outline,
 * completion or inlay hints of a session on a 4,300-line file whose later ones take 0.3–2 ms
 * (measured in process) — and the first requests of a session are the ones a user waits for while
 * the file opens. Warming moves that cost before any file is open. Each step is one feature, and
 * the steps run one timer apart so that a message arriving meanwhile waits for one step at most.
 */
import type { Position } from 'vscode-languageserver';
import { createLanguageService, type NginxLanguageService } from './service/index';

const URI = 'file:///nginx-language-server-warm-up/nginx.conf';

/**
 * What most configurations hold: upstreams, a map, servers with prefix, regex and WebSocket
 * locations. Two servers: with one, an edit is validated whole (incremental.ts) and the
 * incremental path every keystroke takes would not be warmed.
 */
const CONF = `user www-data;
worker_processes auto;
events {
    worker_connections 1024;
}
http {
    include mime.types;
    log_format main '$remote_addr - $request';
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
    upstream app {
        server 127.0.0.1:9000;
        keepalive 16;
    }
    server {
        listen 80;
        server_name example.com www.example.com;
        root /var/www/example;
        add_header X-Frame-Options DENY;
        location / {
            try_files $uri $uri/ =404;
        }
        location ~* \\.(png|jpg|css|js)$ {
            expires 30d;
        }
        location /api/ {
            proxy_pass http://app;
            proxy_set_header Host $host;
        }
        location /ws/ {
            proxy_pass http://app;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /static/ {
            alias /var/www/static/;
        }
        if ($host = www.example.com) {
            return 301 https://example.com$request_uri;
        }
    }
    server {
        listen 8080;
        server_name api.example.com;
        location / {
            proxy_pass http://app;
        }
    }
}
`;

/** line and character of the first occurrence of `needle` (plus `after` characters) */
function at(needle: string, after = 0): Position {
  const o = CONF.indexOf(needle) + after;
  const before = CONF.slice(0, o).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** the request thread's features */
export function requestSteps(service: NginxLanguageService = createLanguageService()): (() => unknown)[] {
  const ws = at('proxy_set_header Upgrade');
  const whole = { start: { line: 0, character: 0 }, end: at('}\n}\n', 2) };
  return [
    () => service.openDocument(URI, CONF, 1),
    () => service.documentSymbols(URI),
    () => service.foldingRanges(URI),
    () => service.documentLinks(URI),
    () => service.inlayHints(URI, whole),
    () => { for (const l of service.routeLenses(URI)) service.resolveRouteLens(URI, l.offset); },
    () => {
      const list = service.complete(URI, ws, { lazyDocumentation: true });
      if (list.items[0]) service.resolveCompletion(list.items[0]);
      service.complete(URI, at('$http_upgrade', 2));
      service.complete(URI, ws);
    },
    () => { service.hover(URI, at('proxy_pass', 2)); service.hover(URI, at('http://app', 8)); },
    () => { service.documentHighlights(URI, at('upstream app', 10)); service.findDefinition(URI, at('http://app', 8)); },
    () => service.closeDocument(URI),
  ];
}

/** what the validation steps type, one keystroke a step (an unknown name, then a known one) */
const TYPED = ['a', 'ad', 'add_', 'add_header', 'add_header X-A', 'add_header X-A 1;'];

/** the validation worker's: diagnostics and the light bulb */
export function validationSteps(service: NginxLanguageService = createLanguageService()): (() => unknown)[] {
  const ws = at('proxy_set_header Upgrade');
  return [
    () => service.openDocument(URI, CONF, 1),
    () => service.validate(URI),
    // a directive typed inside a server, a few keystrokes: the incremental path
    ...TYPED.map((typed, i) => () => {
      service.openDocument(URI, CONF.replace('expires 30d;\n', `expires 30d;\n            ${typed}\n`), i + 2);
      return service.validate(URI);
    }),
    // the line deleted again (the light bulb's position below is in the original text)
    () => { service.openDocument(URI, CONF, TYPED.length + 2); return service.validate(URI); },
    () => service.codeActions(URI, { start: ws, end: ws }, [], undefined, true),
    () => service.closeDocument(URI),
  ];
}

/** Runs `steps` one timer turn apart; a failure is logged and ends the warm-up (nothing depends on it). */
export function runSteps(steps: (() => unknown)[], log: (message: string) => void): void {
  let i = 0;
  const next = () => {
    if (i >= steps.length) return;
    try {
      steps[i++]();
    } catch (err) {
      log(`warm-up step ${i} failed: ${(err as Error)?.stack ?? err}`);
      return;
    }
    setTimeout(next, 0);
  };
  setTimeout(next, 0);
}
