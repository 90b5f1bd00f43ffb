import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';

/** `|` marks the cursor. */
function hoverAt(fixture: string, settings?: unknown): string | null {
  const offset = fixture.indexOf('|');
  const text = fixture.slice(0, offset) + fixture.slice(offset + 1);
  const ls = getLanguageService(settings ? { settings: resolveSettings(settings) } : {});
  ls.openDocument('file:///h/test.conf', text);
  const before = text.slice(0, offset).split('\n');
  const h = ls.hover('file:///h/test.conf', { line: before.length - 1, character: before[before.length - 1].length });
  if (!h) return null;
  return typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : String(h.contents);
}

describe('hover', () => {
  it('directive: syntax, default, context, module, description, link', () => {
    const md = hoverAt('http { server { location / { proxy_read_t|imeout 30s; } } }')!;
    assert.match(md, /\*\*proxy_read_timeout\*\*/);
    assert.match(md, /ngx_http_proxy_module/);
    assert.match(md, /\*\*Syntax:\*\*.*time/);
    assert.match(md, /\*\*Default:\*\* `proxy_read_timeout 60s;`/);
    assert.match(md, /\*\*Context:\*\*.*`http`.*`server`.*`location`/);
    assert.match(md, /reading a response from the proxied server/);
    assert.match(md, /https:\/\/nginx\.org\/en\/docs\/http\/ngx_http_proxy_module\.html#proxy_read_timeout/);
  });

  it('the doc of the module that applies: server in upstream vs server in http', () => {
    const up = hoverAt('http { upstream b { ser|ver 127.0.0.1; } }')!;
    assert.match(up, /ngx_http_upstream_module/);
    const srv = hoverAt('http { ser|ver { listen 80; } }')!;
    assert.match(srv, /ngx_http_core_module/);
  });

  it('third-party directive: module, arguments, link', () => {
    const md = hoverAt('http { server { location / { more_set_head|ers "X: y"; } } }')!;
    assert.match(md, /ngx_http_headers_more_filter_module/);
    assert.match(md, /headers-more-nginx-module/);
  });

  it('time argument in plain words', () => {
    assert.match(hoverAt('http { proxy_read_timeout 36|00s; }')!, /`3600s` = 1 hour/);
    assert.match(hoverAt('http { proxy_read_timeout 1h3|0m; }')!, /1 hour 30 minutes/);
    assert.match(hoverAt('http { keepalive_timeout 7|5; }')!, /1 minute 15 seconds/);
  });

  it('size argument in plain words', () => {
    assert.match(hoverAt('http { client_max_body_size 1|0m; }')!, /`10m` = 10 megabytes/);
    assert.match(hoverAt('http { proxy_buffers 8 1|6k; }')!, /16 kilobytes/);
  });

  it('built-in variable: description', () => {
    const md = hoverAt('http { server { return 200 $remote_a|ddr; } }')!;
    assert.match(md, /\*\*\$remote_addr\*\*/);
    assert.match(md, /client address/);
  });

  it('prefix variable family', () => {
    assert.match(hoverAt('http { server { return 200 $http_user_ag|ent; } }')!, /\$http_NAME/);
  });

  it('variable defined by set or map: where, with line', () => {
    const text = 'http {\n  map $uri $target { default 1; }\n  server {\n    set $who me;\n    return 200 "$wh|o $target";\n  }\n}\n';
    assert.match(hoverAt(text)!, /defined by `set` at \[line 4\]\(file:\/\/\/h\/test\.conf#L4\)/);
    const text2 = 'http {\n  map $uri $target { default 1; }\n  server {\n    return 200 "$tar|get";\n  }\n}\n';
    assert.match(hoverAt(text2)!, /defined by `map` at \[line 2\]/);
  });

  it('regex capture', () => {
    assert.match(hoverAt('http { server { location ~ ^/(a)$ { return 200 $|1; } } }')!, /capture group 1/);
    const named = 'http { server { location ~ ^/(?<id>[0-9]+)$ { return 200 $i|d; } } }';
    assert.match(hoverAt(named)!, /defined by `regex capture`/);
  });

  it('works in half-typed files (unclosed block, missing ;)', () => {
    // missing ";" after listen, and neither the location nor the server nor http is closed
    const md = hoverAt('http {\n  server {\n    listen 80\n    location /ws/ {\n      proxy_http_ver|sion 1.1\n')!;
    assert.match(md, /\*\*proxy_http_version\*\*/);
    const time = hoverAt('http {\n  server {\n    location / {\n      proxy_read_timeout 36|00s\n')!;
    assert.match(time, /1 hour/);
  });

  it('nothing on whitespace or comments', () => {
    assert.equal(hoverAt('http {  |  }'), null);
    assert.equal(hoverAt('# a com|ment\nhttp { }'), null);
  });
});

it('hover on upstream names, named locations, zones and map variables shows their definition', () => {
  const text = `http {
    upstream chat {
        server 127.0.0.1:9000;
    }
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    limit_req_zone $binary_remote_addr zone=perip:10m rate=1r/s;
    server {
        limit_req zone=perip;
        location /chat/ {
            proxy_pass http://chat;
            proxy_set_header Connection $connection_upgrade;
            error_page 502 @fallback;
        }
        location /other/ {
            proxy_pass http://other.example.com;
        }
        location @fallback {
            return 502;
        }
    }
}
`;
  const ls = getLanguageService();
  const uri = 'file:///w/nginx.conf';
  ls.openDocument(uri, text);
  const at = (needle: string, delta = 1) => {
    const o = text.indexOf(needle) + delta;
    const before = text.slice(0, o).split('\n');
    const h = ls.hover(uri, { line: before.length - 1, character: before[before.length - 1].length });
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  const up = at('http://chat', 8);
  assert.match(up, /^\*\*upstream chat\*\*: defined at \[line 2\]\(file:\/\/\/w\/nginx\.conf#L2\)/);
  assert.match(up, /server 127\.0\.0\.1:9000;/);
  assert.match(at('http://other.example.com', 9), /no `upstream` block of this name/);
  assert.match(at('@fallback;', 2), /^\*\*named location @fallback\*\*: defined at \[line 20\]/);
  assert.match(at('zone=perip;', 6), /^\*\*limit_req zone perip\*\*: defined at \[line 9\]/);
  const map = at('Connection $connection_upgrade', 13);
  assert.match(map, /defined by `map` at \[line 5\]\(file:\/\/\/w\/nginx\.conf#L5\)/);
  assert.match(map, /```nginx\nmap \$http_upgrade \$connection_upgrade \{\n    default upgrade;\n    ''      close;\n\}\n```/);
});
