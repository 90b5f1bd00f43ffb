/**
 * The request thread's service takes a keystroke's text only when asked something
 * (server/src/deferredTexts.ts): it must answer exactly as a service given every text at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLanguageService, type NginxLanguageService } from '../../server/src/service/index';
import { deferTexts } from '../../server/src/deferredTexts';

const MAIN = 'file:///d/nginx.conf';
const SITE = 'file:///d/sites-enabled/app.conf';
const OTHER = 'file:///d/conf.d/other.conf';
const texts: Record<string, string[]> = {
  [MAIN]: [
    'events {}\nhttp {\n  include sites-enabled/*.conf;\n}\n',
    'events {}\nhttp {\n  map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }\n  include sites-enabled/*.conf;\n}\n',
    'events {}\nhttp {\n  include conf.d/*.conf;\n}\n',
  ],
  [SITE]: [
    'server {\n  listen 80;\n  location /ws/ {\n    proxy_pass http://127.0.0.1:9000;\n    proxy_set_header Upgrade $http_upgrade;\n  }\n}\n',
    'server {\n  listen 80;\n  location /ws/ {\n    proxy_pass http://127.0.0.1:9000;\n    proxy_http_version 1.1;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $connection_upgrade;\n  }\n}\n',
    'server {\n  listen 80;\n  location / { alias /var/www/; }\n  unknown_directive on;\n',
  ],
  [OTHER]: ['server { listen 81; return 200; }\n', 'server { listen 81 return 200; }\n'],
};

/** Counts what reaches the real service. */
function counting(service: NginxLanguageService): { service: NginxLanguageService; opened: string[] } {
  const opened: string[] = [];
  const real = service.openDocument.bind(service);
  service.openDocument = (uri, text, version) => {
    opened.push(`${uri}@${version}`);
    return real(uri, text, version);
  };
  return { service, opened };
}

test('deferred texts: keystrokes reach the service only when it is asked something, newest text once', () => {
  const { service, opened } = counting(createLanguageService());
  const deferred = deferTexts(service);
  deferred.openDocument(SITE, texts[SITE][0], 1);
  deferred.openDocument(SITE, texts[SITE][1], 2);
  deferred.openDocument(MAIN, texts[MAIN][0], 1);
  deferred.openDocument(SITE, texts[SITE][2], 3);
  assert.deepEqual(opened, [], 'nothing parsed before a request');
  const symbols = deferred.documentSymbols(SITE);
  assert.deepEqual(opened, [`${MAIN}@1`, `${SITE}@3`], 'each document once, its newest text, in order of last arrival');
  assert.ok(symbols.length > 0);
  deferred.documentSymbols(SITE);
  assert.equal(opened.length, 2, 'nothing pending: nothing given again');
  // a closed document's pending text is dropped, the others are kept
  deferred.openDocument(OTHER, texts[OTHER][0], 1);
  deferred.openDocument(SITE, texts[SITE][0], 4);
  deferred.closeDocument(OTHER);
  assert.deepEqual(opened.slice(2), [`${SITE}@4`]);
  assert.equal(deferred.isOpen(OTHER), false);
  // a request's guard and completionItem/resolve parse nothing
  deferred.openDocument(SITE, texts[SITE][1], 5);
  deferred.openDocument(OTHER, texts[OTHER][1], 1);
  assert.equal(deferred.knows(SITE), true);
  assert.equal(deferred.knows(OTHER), true, 'a recorded text counts as open');
  assert.equal(deferred.knows('file:///d/never.conf'), false);
  const item = deferred.resolveCompletion({ label: 'listen', data: { directive: 'listen', uri: SITE, cx: 1, version: '' } });
  assert.ok(item.documentation, 'resolved');
  assert.equal(opened.length, 3, 'nothing parsed for them');
  deferred.foldingRanges(OTHER);
  assert.deepEqual(opened.slice(3), [`${SITE}@5`, `${OTHER}@1`]);
  // catching up in idle time gives what is recorded, once
  deferred.openDocument(SITE, texts[SITE][2], 6);
  deferred.catchUp();
  assert.deepEqual(opened.slice(5), [`${SITE}@6`]);
  deferred.catchUp();
  deferred.documentSymbols(SITE);
  assert.equal(opened.length, 6);
});

test('deferred texts: any sequence of edits, closes and requests answers as the service given each text at once', () => {
  const uris = Object.keys(texts);
  let seed = 20261204;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let run = 0; run < 20; run++) {
    const direct = createLanguageService();
    const deferred = deferTexts(createLanguageService());
    const version = new Map<string, number>();
    for (let step = 0; step < 40; step++) {
      const uri = uris[rand(uris.length)];
      const op = rand(10);
      let a: unknown;
      let b: unknown;
      if (op < 5) {
        const v = (version.get(uri) ?? 0) + 1;
        version.set(uri, v);
        const text = texts[uri][rand(texts[uri].length)];
        direct.openDocument(uri, text, v);
        deferred.openDocument(uri, text, v);
        continue;
      } else if (op === 5) {
        version.delete(uri);
        direct.closeDocument(uri);
        deferred.closeDocument(uri);
        continue;
      } else if (op === 6) {
        a = direct.validate(uri);
        b = deferred.validate(uri);
      } else if (op === 7) {
        a = [direct.dependents(uri), direct.isOpen(uri)];
        b = [deferred.dependents(uri), deferred.isOpen(uri)];
      } else if (op === 8) {
        a = direct.documentSymbols(uri);
        b = deferred.documentSymbols(uri);
      } else {
        const at = { line: 2, character: 4 };
        a = [direct.hover(uri, at), direct.complete(uri, at).items.length, direct.foldingRanges(uri)];
        b = [deferred.hover(uri, at), deferred.complete(uri, at).items.length, deferred.foldingRanges(uri)];
      }
      assert.deepEqual(b, a, `run ${run} step ${step} op ${op} on ${uri}`);
    }
  }
});
