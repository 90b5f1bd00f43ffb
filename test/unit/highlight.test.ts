import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getLanguageService } from '../../server/src/service/languageService';
import { parse } from '../../server/src/service/syntax/parser';
import { fileSymbols, occurrencesInFile } from '../../server/src/service/workspace/symbols';
import { corpusText, hasCorpus, NO_CORPUS, oracle } from '../helpers';

const TEXT = `http {
    upstream chat {
        server 127.0.0.1:9000;
    }
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    server {
        server_name chat.example.com;
        root /var/www/chat;
        location /chat/ {
            proxy_pass http://chat;
            proxy_set_header Connection $connection_upgrade;
            error_page 502 @chat;
        }
        location @chat {
            return 502;
        }
    }
    server {
        location @chat {
            return 503;
        }
    }
}
`;

const uri = 'file:///w/nginx.conf';
function highlights(line: number, character: number) {
  const ls = getLanguageService();
  ls.openDocument(uri, TEXT);
  return ls.documentHighlights(uri, { line, character }).map((h) => `${h.range.start.line}:${h.range.start.character}-${h.range.end.character}${h.kind === 3 ? 'w' : 'r'}`);
}

test('document highlight marks the upstream, not every word "chat"', () => {
  const lines = TEXT.split('\n');
  const def = highlights(1, lines[1].indexOf('chat') + 1);
  assert.deepEqual(def, ['1:13-17w', '12:30-34r']);
  // from the reference in proxy_pass: the same set
  assert.deepEqual(highlights(12, lines[12].indexOf('chat') + 1), def);
});

test('document highlight of a named location stays in its server', () => {
  const lines = TEXT.split('\n');
  const got = highlights(16, lines[16].indexOf('@chat') + 2);
  assert.deepEqual(got, ['14:28-32r', '16:18-22w']);
});

test('document highlight of a map variable covers its definition and uses', () => {
  const lines = TEXT.split('\n');
  const got = highlights(13, lines[13].indexOf('$connection_upgrade') + 3);
  assert.deepEqual(got, ['4:23-41w', '13:41-59r']);
});

test('nothing to highlight on a plain word', () => {
  assert.deepEqual(highlights(10, 12), []);
});

test('occurrencesInFile finds what fileSymbols finds, on every symbol of the file', () => {
  const all = fileSymbols(parse(TEXT));
  for (const o of all) {
    const fresh = occurrencesInFile(parse(TEXT), o.kind, o.name).map((x) => `${x.start}:${x.def}`);
    const want = all.filter((x) => x.kind === o.kind && x.name === o.name).map((x) => `${x.start}:${x.def}`);
    assert.deepEqual(fresh, want, `${o.kind} ${o.name}`);
  }
});

test('occurrencesInFile agrees with fileSymbols on the corpus', { skip: hasCorpus ? false : NO_CORPUS }, () => {
  let checked = 0;
  for (const row of oracle()) {
    const text = corpusText(row.file);
    const all = fileSymbols(parse(text));
    const names = new Map(all.map((o) => [`${o.kind}\0${o.name}`, o]));
    for (const o of names.values()) {
      const fresh = occurrencesInFile(parse(text), o.kind, o.name).map((x) => x.start);
      const want = all.filter((x) => x.kind === o.kind && x.name === o.name).map((x) => x.start);
      assert.deepEqual(fresh, want, `${row.file}: ${o.kind} ${o.name}`);
      checked++;
    }
  }
  assert.ok(checked > 100, `only ${checked} symbols checked`);
});
