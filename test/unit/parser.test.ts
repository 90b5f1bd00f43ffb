import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../server/src/service/syntax/parser';
import { print, checkTree } from '../../server/src/service/syntax/printer';
import { positionAt } from '../../server/src/service/syntax/positions';
import { allDirectives } from '../../server/src/service/syntax/query';
import type { Directive } from '../../server/src/service/syntax/tree';
import { corpusDir, corpusText, hasCorpus, NO_CORPUS, oracle } from '../helpers';

function errorsOf(text: string) {
  const f = parse(text);
  assert.equal(print(f), text, 'round trip');
  assert.deepEqual(checkTree(f), []);
  return f.errors.map((e) => ({ line: positionAt(f, e.start).line + 1, col: positionAt(f, e.start).character + 1, len: e.end - e.start, message: e.message }));
}

function top(text: string): Directive[] {
  return parse(text).children.filter((s): s is Directive => s.kind === 'directive');
}

describe('parser: tree shape', () => {
  test('directives, arguments, blocks and parents', () => {
    const [http] = top('http {\n  server {\n    listen 80 default_server;\n  }\n}\n');
    assert.equal(http.name, 'http');
    assert.equal(http.terminator, '{');
    const server = http.block!.children[0] as Directive;
    assert.equal(server.name, 'server');
    assert.equal(server.parent, http);
    const listen = server.block!.children[0] as Directive;
    assert.deepEqual(listen.args.map((a) => a.value), ['80', 'default_server']);
    assert.equal(listen.parent, server);
    assert.equal(listen.terminator, ';');
  });

  test('quotes and escapes are unescaped like nginx; raw text is kept', () => {
    const [d] = top(`add_header X "a \\"b\\" c" 'it\\'s' a\\ b;`);
    // nginx unescapes only \" \' \\ \t \r \n; any other backslash stays (and still glues the space)
    assert.deepEqual(d.args.map((a) => a.value), ['X', 'a "b" c', "it's", 'a\\ b']);
    assert.deepEqual(d.args.map((a) => a.quote), [null, '"', "'", null]);
    assert.equal(d.args[1].raw, '"a \\"b\\" c"');
  });

  test('# starts a comment only at the start of a word', () => {
    const [d] = top('set $x a#b; # real comment\n');
    assert.equal(d.args[1].value, 'a#b');
    assert.equal(d.trailingComment?.text, ' real comment');
  });

  test('${var} and a } inside a word do not break the word (as in nginx)', () => {
    const [d] = top('return 200 ${host}x a}b;');
    assert.deepEqual(d.args.map((a) => a.value), ['200', '${host}x', 'a}b']);
    // nginx 1.22.1 accepts `server_name ${url ;`: a `{` right after `$` never opens a block
    const f = parse('server_name ${url ;');
    assert.deepEqual(f.errors, []);
    assert.equal((f.children[0] as Directive).args[0].value, '${url');
  });

  test('if conditions: parentheses are ordinary word characters, ) may follow a quote', () => {
    const [d] = top('if ($host = "a") { return 403; }');
    assert.deepEqual(d.args.map((a) => a.value), ['($host', '=', 'a', ')']);
    assert.equal((d.block!.children[0] as Directive).name, 'return');
  });

  test('map/types bodies hold entries, not directives', () => {
    const [m] = top("map $http_upgrade $connection_upgrade {\n  default upgrade;\n  '' close;\n}\n");
    assert.equal(m.block!.body, 'entries');
    const entries = m.block!.children as Directive[];
    assert.deepEqual(entries.map((e) => [e.name, e.isEntry, e.args.map((a) => a.value)]), [['default', true, ['upgrade']], ['', true, ['close']]]);
    const [t] = top('types { text/html html htm; }');
    assert.equal(t.block!.body, 'entries');
  });

  test('*_by_lua_block bodies are raw: braces in Lua strings and comments do not count', () => {
    const text = 'content_by_lua_block {\n  local t = { a = "}" } -- }\n  ngx.say([[ } ]])\n}\nlisten 80;\n';
    const f = parse(text);
    assert.deepEqual(f.errors, []);
    const [lua, listen] = f.children.filter((s): s is Directive => s.kind === 'directive');
    assert.equal(lua.block!.body, 'lua');
    assert.equal(text.slice(lua.block!.raw!.start, lua.block!.raw!.end), '\n  local t = { a = "}" } -- }\n  ngx.say([[ } ]])\n');
    assert.equal(listen.name, 'listen');
  });

  test('comments: own-line in the block, trailing after ; and after }', () => {
    const f = parse('# top\nhttp { # after brace\n  # inside\n  a 1; # trailing\n} # after close\n');
    assert.equal(f.children[0].kind, 'comment');
    const http = f.children[1] as Directive;
    assert.equal(http.trailingComment?.text, ' after close');
    assert.deepEqual(http.block!.children.map((s) => s.kind), ['comment', 'comment', 'directive']);
    assert.equal((http.block!.children[2] as Directive).trailingComment?.text, ' trailing');
  });

  test('CRLF line endings keep positions right', () => {
    const text = 'a 1;\r\nb {\r\n  c 2;\r\n}\r\n';
    const f = parse(text);
    assert.deepEqual(f.errors, []);
    const c = [...allDirectives(f.children)].find((d) => d.name === 'c')!;
    assert.deepEqual(positionAt(f, c.start), { line: 2, character: 2 });
    assert.equal(print(f), text);
  });
});

describe('parser: syntax errors (nginx\'s own messages, tight ranges, parsing continues)', () => {
  test('missing ; before } is reported at the } (where nginx stops), naming the directive', () => {
    const e = errorsOf('server {\n  listen 80\n}\nevents {}\n');
    assert.equal(e.length, 1);
    assert.equal(e[0].line, 3);
    assert.match(e[0].message, /unexpected "}": missing ";" after the "listen" directive on line 2/);
  });

  test('end of file inside a block', () => {
    const e = errorsOf('http {\n  server {\n    listen 80;\n');
    assert.equal(e.length, 1);
    assert.equal(e[0].line, 4);
    assert.match(e[0].message, /unexpected end of file, expecting "}"/);
    assert.match(e[0].message, /"server" block opened on line 2/);
  });

  test('end of file after an unterminated directive', () => {
    const e = errorsOf('worker_processes 2');
    assert.equal(e.length, 1);
    assert.match(e[0].message, /unexpected end of file, expecting ";" or "}"/);
  });

  test('unterminated quote: at the quote and at end of file', () => {
    const e = errorsOf('events {}\nhttp {\n  return 200 "oops;\n}\n');
    assert.equal(e[0].line, 3);
    assert.equal(e[0].col, 14);
    assert.equal(e[0].len, 1);
    assert.match(e[0].message, /unterminated string/);
    assert.ok(e.some((x) => /unexpected end of file/.test(x.message)));
  });

  test('unexpected } at top level', () => {
    const e = errorsOf('events {}\n}\n');
    assert.deepEqual(e.map((x) => [x.line, x.len]), [[2, 1]]);
    assert.match(e[0].message, /unexpected "}"/);
  });

  test('unexpected ; with no directive', () => {
    const e = errorsOf('a 1;;\n');
    assert.deepEqual(e.map((x) => [x.line, x.col]), [[1, 5]]);
    assert.match(e[0].message, /unexpected ";"/);
  });

  test('unexpected { with no name, and { inside a map body', () => {
    assert.match(errorsOf('{ a 1; }\n')[0].message, /unexpected "\{"/);
    const e = errorsOf('map $a $b {\n  ~x { y; }\n}\n');
    assert.equal(e.length, 1);
    assert.equal(e[0].line, 2);
    assert.match(e[0].message, /unexpected "\{"/);
  });

  test('a character glued after a closing quote', () => {
    const e = errorsOf('return 200 "a"b;\n');
    assert.deepEqual(e.map((x) => [x.line, x.col, x.len]), [[1, 15, 1]]);
    assert.match(e[0].message, /unexpected "b"/);
  });

  test('unquoted regex quantifier {n,m} inside an argument', () => {
    const e = errorsOf('location ~ ^/a{2,3}$ {\n  return 204;\n}\n');
    assert.equal(e.length, 1);
    assert.equal(e[0].col, 15);
    assert.equal(e[0].len, 5);
    assert.match(e[0].message, /unquoted "\{"/);
    // recovery: the location still owns its block
    const [loc] = top('location ~ ^/a{2,3}$ {\n  return 204;\n}\n');
    assert.equal(loc.args[1].value, '^/a{2,3}$');
    assert.equal((loc.block!.children[0] as Directive).name, 'return');
  });

  test('regression: a word left open at end of file keeps its true range (found by the fuzzer)', () => {
    const f = parse("return 200 \"Hello\";'\n}\n");
    const last = f.children[f.children.length - 1] as Directive;
    assert.equal(last.nameWord.start, 19);
    assert.equal(last.nameWord.end, f.text.length);
    assert.deepEqual(checkTree(f), []);
  });

  test('regression: the nameless directive around a stray { has no arguments (found by the fuzzer)', () => {
    const f = parse('a b c;\n{ d; }\n');
    const stray = f.children[1] as Directive;
    assert.equal(stray.name, '');
    assert.deepEqual(stray.args, []);
  });

  test('parsing continues after an error', () => {
    const f = parse('server {\n  listen 80\n}\nhttp { x 1; }\n');
    const names = [...allDirectives(f.children)].map((d) => d.name);
    assert.deepEqual(names, ['server', 'listen', 'http', 'x']);
  });

  test('empty file and whitespace-only file', () => {
    assert.deepEqual(errorsOf(''), []);
    assert.deepEqual(errorsOf('\n\n  \t\n'), []);
    assert.equal(parse('').tokenCount, 0);
  });
});

function nginxLine(message: string): number | null {
  const m = / in [^ ]+:(\d+)$/.exec(message);
  return m ? Number(m[1]) : null;
}

describe('parser: the shared corpus', { skip: hasCorpus ? false : NO_CORPUS }, () => {
  const rows = hasCorpus ? oracle() : [];

  test('every file parses without exception, prints back byte for byte, and the tree is sound', () => {
    let files = 0;
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) { walk(p); continue; }
        if (name.endsWith('.tsv') || name.endsWith('.sh') || name.endsWith('.md')) continue;
        const text = corpusText(p.slice(corpusDir.length + 1));
        const f = parse(text);
        assert.equal(print(f), text, `round trip of ${p}`);
        assert.deepEqual(checkTree(f), [], `tree of ${p}`);
        files++;
      }
    };
    for (const name of readdirSync(corpusDir)) {
      if (name === 'tools') continue;
      const p = join(corpusDir, name);
      if (statSync(p).isDirectory()) walk(p);
    }
    assert.ok(files >= 754, `expected the 754 corpus files, saw ${files}`);
  });

  test('syntax errors agree with real nginx: same line where nginx reports one, none where nginx accepts', () => {
    const syntax = rows.filter((r) => r.cls === 'syntax');
    assert.ok(syntax.length >= 20, 'the oracle lists the syntax failures');
    const misses: string[] = [];
    for (const r of syntax) {
      const f = parse(corpusText(r.file));
      const line = nginxLine(r.message);
      const lines = f.errors.map((e) => positionAt(f, e.start).line + 1);
      if (line === null || !lines.includes(line)) misses.push(`${r.file}: nginx line ${line}, ours ${lines.join(',') || 'none'}`);
    }
    assert.deepEqual(misses, []);
    const falseAlarms: string[] = [];
    for (const r of rows.filter((x) => x.verdict === 'VALID')) {
      const f = parse(corpusText(r.file));
      if (f.errors.length) falseAlarms.push(`${r.file}: ${f.errors[0].message}`);
    }
    assert.deepEqual(falseAlarms, []);
  });
});

describe('lazy argument accessors', () => {
  // argCount/arg/argValue read the token store; they must agree with the materialized `args`
  const cases = [
    'proxy_set_header  X-A "a b\\"c"  # c\n  \'d\';',
    'listen 80 default_server;',
    'server {',
    'a;',
    'log_format main \'$remote_addr\' "x\\ty";',
  ];
  for (const text of cases) {
    test(JSON.stringify(text), () => {
      const fresh = top(text)[0];
      const again = top(text)[0];
      const n = again.args.length;
      assert.equal(fresh.argCount, n);
      for (let i = 0; i <= n; i++) {
        assert.equal(fresh.argValue(i), again.args[i]?.value, `argValue(${i})`);
        const w = fresh.arg(i);
        const m = again.args[i];
        assert.deepEqual(w && { s: w.start, e: w.end, v: w.value, r: w.raw, q: w.quote }, m && { s: m.start, e: m.end, v: m.value, r: m.raw, q: m.quote }, `arg(${i})`);
        // and after materialization they read the cached list
        assert.equal(again.argValue(i), m?.value);
      }
      assert.equal(fresh.arg(-1), undefined);
    });
  }
});
