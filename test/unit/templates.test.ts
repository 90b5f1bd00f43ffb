/**
 * envsubst templates (the nginx image's /etc/nginx/templates): detection, environment sources,
 * rendering and the mapping back, analysis without false alarms on placeholders, real mistakes
 * next to them, the template rules, and hover / completion / definition on placeholders.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fixtureFiles } from '../helpers';
import { getLanguageService, type LanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { MemoryFileSystem } from '../../server/src/service/workspace/fileSystem';
import { parse } from '../../server/src/service/syntax/parser';
import { offsetAt, positionAt } from '../../server/src/service/syntax/positions';
import { collectEnvironment, findPlainEnvsubst, isNginxImage, parseCompose, parseDockerfile, parseDotEnv } from '../../server/src/service/templates/env';
import { render, sampleValues, toRendered, toTemplate } from '../../server/src/service/templates/template';
import { mulberry32, mutate } from '../fuzz/fuzzCore';

const fixtures = resolve(__dirname, '..', 'fixtures', 'templates');

/** A fixture workspace loaded under /w. */
function workspace(name: string, extra: Record<string, string> = {}): { ls: LanguageService; files: Record<string, string> } {
  const files = { ...fixtureFiles(join(fixtures, name), '/w'), ...extra };
  return { ls: getLanguageService({ fs: new MemoryFileSystem(files), folders: ['/w'] }), files };
}

/** `severity code @text` of each finding of a file */
function report(ls: LanguageService, uri: string, text: string): string[] {
  return ls.findingsFor(uri).map((f) => `${f.severity} ${f.code} @${text.slice(f.start, f.end)}`);
}

function lone(name: string, text: string, settings?: unknown): { ls: LanguageService; uri: string; list: string[] } {
  const ls = getLanguageService(settings ? { settings: resolveSettings(settings) } : {});
  const uri = `file:///t/${name}`;
  ls.openDocument(uri, text);
  return { ls, uri, list: report(ls, uri, text) };
}

const ISSUE_EXAMPLE = `upstream backend { server \${BACKEND_HOST}:\${BACKEND_PORT}; }
server {
    listen \${NGINX_PORT};
    location / { proxy_pass http://backend; add_header X-Env "\${APP_ENV}"; }
}
`;

describe('templates: environment sources', () => {
  it('reads .env lines (export, quotes, comments)', () => {
    const defs = parseDotEnv('# c\nexport A=1\nB="two words" # x\nC=\'3\'\nD=4 # four\nnot a line\n', '/w/.env');
    assert.deepEqual(defs.map((d) => `${d.name}=${d.value}`), ['A=1', 'B=two words', 'C=3', 'D=4']);
    const text = '# c\nexport A=1\n';
    assert.equal(text.slice(defs[0].start, defs[0].end), 'A');
  });

  it('reads Dockerfile FROM and both ENV forms, across continuation lines', () => {
    const text = 'FROM --platform=linux/amd64 nginx:1.27-alpine AS web\nENV A=1 \\\n    B="x y"\nENV C the rest\n';
    const f = parseDockerfile(text, '/w/Dockerfile');
    assert.equal(f.nginxImage, true);
    assert.deepEqual(f.env.map((d) => `${d.name}=${d.value}`), ['A=1', 'B=x y', 'C=the rest']);
    for (const d of f.env) assert.equal(text.slice(d.start, d.end), d.name);
    assert.equal(parseDockerfile('FROM node:20\n', '/w/Dockerfile').nginxImage, false);
  });

  it('knows the nginx images', () => {
    for (const ref of ['nginx', 'nginx:1.27-alpine', 'docker.io/library/nginx:stable', 'nginxinc/nginx-unprivileged:1.27', 'nginx@sha256:abc']) assert.ok(isNginxImage(ref), ref);
    for (const ref of ['node:20', 'bitnami/nginx-ingress', 'nginx-proxy/nginx-proxy', 'jwilder/nginx-proxy']) assert.ok(!isNginxImage(ref), ref);
  });

  it('reads compose services: environment as a map and as a list, env_file, image, volumes', () => {
    const text = 'services:\n  web:\n    image: nginx\n    environment:\n      A: "1"\n      B:\n    env_file: a.env\n    volumes:\n      - ./t:/etc/nginx/templates:ro\n  db:\n    image: postgres\n    environment:\n      - C=3\n      - D\n    env_file:\n      - b.env\n';
    const f = parseCompose(text, '/w/compose.yaml');
    assert.deepEqual(f.services.map((s) => s.name), ['web', 'db']);
    const [web, db] = f.services;
    assert.equal(web.image, 'nginx');
    assert.deepEqual(web.env.map((d) => `${d.name}=${d.value}`), ['A=1', 'B=null']);
    assert.deepEqual(web.envFiles, ['a.env']);
    assert.deepEqual(web.volumes, [{ source: './t', target: '/etc/nginx/templates' }]);
    assert.deepEqual(db.env.map((d) => `${d.name}=${d.value}`), ['C=3', 'D=null']);
    assert.deepEqual(db.envFiles, ['b.env']);
    for (const d of [...web.env, ...db.env]) assert.equal(text.slice(d.start, d.end), d.name);
  });

  it('finds envsubst run without a list of names, and only that', () => {
    const plain = findPlainEnvsubst('envsubst < /etc/nginx/conf.d/site.template > /etc/nginx/conf.d/site.conf && nginx', 0, '/w/run.sh');
    assert.equal(plain.length, 1);
    assert.equal(plain[0].input, 'site.template');
    assert.equal(findPlainEnvsubst('cat /t/a.conf.template | envsubst > /x', 0, '')[0].input, 'a.conf.template');
    assert.deepEqual(findPlainEnvsubst(`envsubst '\${PORT} \${HOST}' < a > b`, 0, ''), []);
    assert.deepEqual(findPlainEnvsubst('envsubst "$VARS" < a > b', 0, ''), []);
    assert.deepEqual(findPlainEnvsubst('envsubst -v "$T"', 0, ''), []);
    assert.deepEqual(findPlainEnvsubst('echo envsubst-like; ls /usr/bin/envsubst.d', 0, ''), [], 'only the command itself');
  });

  it('collects what a template gets: compose values interpolated from .env, env_file, the filter', () => {
    const { ls } = workspace('compose-dotenv');
    const t = ls.template('file:///w/nginx/templates/default.conf.template')!;
    const value = (n: string) => t.env.defs.get(n)?.[0].value;
    assert.equal(value('NGINX_PORT'), '8080', '${NGINX_PORT:-80} from .env');
    assert.equal(value('BACKEND_PORT'), '3000');
    assert.equal(value('CACHE_SIZE'), '64m', 'env_file');
    assert.equal(t.env.defs.has('DATABASE_URL'), false, 'another service\'s environment is not the nginx container\'s');
    assert.ok(t.env.filter?.test('NGINX_PORT'));
    assert.deepEqual(t.env.templateDirs.includes('/w/nginx/templates'), true, 'volume onto /etc/nginx/templates');
  });

  it('a compose value that is only an unset ${X} comes from the host (unknown), not an empty string', () => {
    const fs = new MemoryFileSystem({ '/w/compose.yaml': 'services:\n  web:\n    image: nginx\n    environment:\n      TOKEN: ${TOKEN}\n      MODE: ${MODE:-dev}\n      URL: http://${HOST}/x\n' });
    const env = collectEnvironment(fs, '/w/templates/a.conf.template', ['/w']);
    assert.deepEqual([...env.defs].map(([n, d]) => `${n}=${d[0].value}`), ['TOKEN=null', 'MODE=dev', 'URL=http:///x']);
  });

  it('is empty without a file system', () => {
    const env = collectEnvironment(null, '/w/a.template', []);
    assert.equal(env.hasSources, false);
    assert.equal(env.defs.size, 0);
  });
});

describe('templates: rendering', () => {
  it('renders and maps offsets both ways', () => {
    const text = 'listen ${PORT}x; server_name $HOST;';
    const ps = [{ name: 'PORT', start: 7, end: 14, braced: true }, { name: 'HOST', start: 29, end: 34, braced: false }];
    const r = render(text, ps, (p) => (p.name === 'PORT' ? '80' : 'example.com'));
    assert.equal(r.text, 'listen 80x; server_name example.com;');
    // the rendered word "80x" covers the template's "${PORT}x"
    const s = r.text.indexOf('80x');
    assert.equal(text.slice(toTemplate(r, s, false), toTemplate(r, s + 3, true)), '${PORT}x');
    assert.equal(text.slice(toTemplate(r, r.text.indexOf('server_name'), false)).startsWith('server_name'), true);
    assert.equal(toTemplate(r, r.text.length, true), text.length);
    assert.equal(toRendered(r, text.indexOf('server_name')), r.text.indexOf('server_name'));
    assert.equal(toRendered(r, 9), 7, 'inside a placeholder: the start of its value');
    // a placeholder left as written (no value) is no replacement
    assert.equal(render(text, ps, () => null).text, text);
  });

  it('stand-in values: ports are ports, one per name', () => {
    assert.deepEqual(sampleValues('BACKEND_PORT', 0), ['8080']);
    assert.deepEqual(sampleValues('HTTPS_PORT', 1), ['8081']);
    assert.ok(sampleValues('SUPPORT_EMAIL', 0).length > 1, 'SUPPORT is not PORT');
    assert.deepEqual(sampleValues('API_URL', 2), ['http://h2.localhost']);
  });
});

describe('templates: detection and context', () => {
  it('by name, by the marker comment, and not for ordinary files', () => {
    const ls = getLanguageService();
    ls.openDocument('file:///t/a.conf.template', 'server { listen ${P}; }');
    ls.openDocument('file:///t/b.tmpl', 'server { listen ${P}; }');
    ls.openDocument('file:///t/c.conf', '# generated file\n# nginx: template\nserver { listen ${P}; }');
    ls.openDocument('file:///t/d.conf', 'server { listen ${P}; }');
    assert.ok(ls.template('file:///t/a.conf.template'));
    assert.ok(ls.template('file:///t/b.tmpl'));
    assert.ok(ls.template('file:///t/c.conf'));
    assert.equal(ls.template('file:///t/d.conf'), null);
  });

  it('a file under templates/ next to a Dockerfile using nginx, whatever its name', () => {
    const { ls } = workspace('dockerfile');
    const t = ls.template('file:///w/templates/site.conf')!;
    assert.ok(t, 'templates/site.conf beside FROM nginx');
    assert.deepEqual(t.placeholders.map((p) => p.name), ['NGINX_PORT', 'ROOT_DIR', 'UPSTREAM'], '$NAME defined by ENV is substituted');
    const other = getLanguageService({ fs: new MemoryFileSystem({ '/w/Dockerfile': 'FROM node:20\n', '/w/templates/site.conf': 'server {}' }), folders: ['/w'] });
    assert.equal(other.template('file:///w/templates/site.conf'), null, 'not an nginx image: an ordinary folder');
  });

  it('http by default; stream for *.stream-template; main for an nginx.conf.template; the context comment wins', () => {
    const ctx = (name: string, text: string) => {
      const ls = getLanguageService();
      ls.openDocument(`file:///t/${name}`, text);
      return ls.template(`file:///t/${name}`)!.outer;
    };
    assert.deepEqual(ctx('default.conf.template', 'server { listen 80; }'), ['http']);
    assert.deepEqual(ctx('x.conf.template', 'proxy_read_timeout ${T};'), ['http']);
    assert.deepEqual(ctx('db.stream-template', 'server { listen ${P}; proxy_pass db; }'), ['stream']);
    assert.deepEqual(ctx('nginx.conf.template', 'events {}\nhttp { server { listen ${P}; } }'), []);
    assert.deepEqual(ctx('loc.conf.template', '# nginx: context=server\nlocation / { root /srv; }'), ['http', 'server']);
  });
});

describe('templates: no false alarms on placeholders', () => {
  it('the issue\'s example: no value-invalid and no variable-unknown (and the same text as a .conf still has them)', () => {
    const { list } = lone('default.conf.template', ISSUE_EXAMPLE);
    assert.deepEqual(list.filter((x) => !x.includes('template-undefined')), []);
    // no environment source at all: information, once per placeholder
    assert.deepEqual(list, ['${BACKEND_HOST}', '${BACKEND_PORT}', '${NGINX_PORT}', '${APP_ENV}'].map((p) => `information template-undefined @${p}`));
    const plain = lone('default.conf', ISSUE_EXAMPLE).list;
    assert.ok(plain.some((x) => x.startsWith('error value-invalid')), 'an ordinary file keeps its findings');
    assert.equal(plain.filter((x) => x.includes('variable-unknown')).length, 4);
  });

  it('placeholders where users put them: listen, server_name, upstream server, proxy_pass, add_header, map values, times, sizes, flags', () => {
    const text = [
      'map $host $backend_pool { default ${DEFAULT_POOL}; ~^api\\. ${API_POOL}; }',
      'upstream app { server ${APP_HOST}:${APP_PORT} max_fails=${MAX_FAILS}; }',
      'server {',
      '    listen ${HTTP_PORT};',
      '    listen ${HTTPS_PORT} ssl;',
      '    listen [::]:${HTTP_PORT};',
      '    server_name ${DOMAIN} www.${DOMAIN};',
      '    ssl_certificate /etc/ssl/${DOMAIN}.crt;',
      '    ssl_certificate_key /etc/ssl/${DOMAIN}.key;',
      '    client_max_body_size ${MAX_BODY};',
      '    gzip ${GZIP};',
      '    root ${WEB_ROOT};',
      '    location / { proxy_pass http://app; proxy_read_timeout ${TIMEOUT}; add_header X-Env "${APP_ENV}" always; }',
      '    location /api { proxy_pass ${API_URL}; }',
      '    location /b { proxy_pass ${SCHEME}://${BACKEND}:${BACKEND_PORT}/v1/; }',
      '    location /c { return 301 https://${DOMAIN}$request_uri; }',
      '}',
      '',
    ].join('\n');
    const { list } = lone('site.conf.template', text);
    // one hint about the literal text around the placeholders, whatever they hold: the literal URI
    // part /v1/ makes nginx send the normalised URI
    assert.deepEqual(list.filter((x) => !x.includes('template-undefined')), [
      'hint proxy-pass-normalized @${SCHEME}://${BACKEND}:${BACKEND_PORT}/v1/',
    ]);
  });

  it('a word that is only a placeholder is never rejected, even where no stand-in value fits (enums, directive names)', () => {
    const text = 'server {\n    ssl_protocols ${TLS_PROTOCOLS};\n    proxy_buffering "${BUFFERING}";\n    ${EXTRA_DIRECTIVE} on;\n    ssl_protocols ${TLS_PROTOCOLS}x;\n}\n';
    const { list } = lone('a.conf.template', text);
    // the last one has text of its own glued to the placeholder: no value of ${TLS_PROTOCOLS} makes "…x" a protocol
    assert.deepEqual(list.filter((x) => !x.includes('template-undefined')), ['error value-invalid @${TLS_PROTOCOLS}x']);
  });

  it('$NAME is a placeholder only when envsubst would substitute it', () => {
    const files = {
      '/w/docker-compose.yml': 'services:\n  web:\n    image: nginx\n    environment:\n      PORT: "80"\n      NGINX_ENVSUBST_FILTER: "^(PORT|HOST)$"\n      SECRET: x\n',
      '/w/templates/a.conf.template': 'server { listen $PORT; add_header X-A $foo; add_header X-B $SECRET; add_header X-C "${SECRET}"; add_header X-D $host; }\n',
    };
    const ls = getLanguageService({ fs: new MemoryFileSystem(files), folders: ['/w'] });
    const text = files['/w/templates/a.conf.template'];
    const list = report(ls, 'file:///w/templates/a.conf.template', text);
    assert.deepEqual(list, [
      'warning variable-unknown @$foo', // not in the environment: stays an nginx variable
      'warning variable-unknown @$SECRET', // defined, but the filter leaves it out
      'warning template-undefined @${SECRET}',
    ]);
    assert.match(ls.findingsFor('file:///w/templates/a.conf.template').find((f) => f.code === 'template-undefined')!.message, /NGINX_ENVSUBST_FILTER/);
  });

  it('${name} that is an nginx variable (built in, or set in the file) stays one', () => {
    const { ls, uri } = lone('a.conf.template', 'server { set $who x; location / { add_header X-A "${host}-${who}-${BUILD}"; } }\n');
    const t = ls.template(uri)!;
    assert.deepEqual(t.placeholders.map((p) => p.name), ['BUILD']);
  });

  it('every fixture workspace of the shapes users write is clean but for what it is about', () => {
    const expect: Record<string, Record<string, string[]>> = {
      'image-example': { '/w/templates/default.conf.template': [] },
      'compose-dotenv': {
        '/w/nginx/templates/default.conf.template': [],
        '/w/nginx/templates/db.stream-template': [],
        // the one name no source defines
        '/w/nginx/templates/health.conf.template': ['warning template-undefined @${NGINX_STATUS_PORT}'],
      },
      dockerfile: { '/w/templates/site.conf': [] },
      'plain-envsubst': { '/w/default.conf.template': ['warning template-erases-variable @$host', 'warning template-erases-variable @$remote_addr'] },
    };
    for (const [name, perFile] of Object.entries(expect)) {
      const { ls, files } = workspace(name);
      for (const [path, want] of Object.entries(perFile)) {
        assert.ok(ls.template(`file://${path}`), `${path} is a template`);
        assert.deepEqual(report(ls, `file://${path}`, files[path]), want, `${name}: ${path}`);
      }
    }
  });
});

describe('templates: real mistakes next to placeholders', () => {
  it('are found, on the template\'s text', () => {
    const { ls, files } = workspace('mistakes');
    const path = '/w/templates/default.conf.template';
    const list = ls.findingsFor(`file://${path}`);
    const text = files[path];
    assert.deepEqual(list.map((f) => `${f.severity} ${f.code} @${text.slice(f.start, f.end)}`), [
      'error value-invalid @${PORT}x',
      'error value-invalid @10q',
      'error directive-unknown @proxy_pas',
      'warning variable-unknown @$hots',
      'error value-invalid @maybe',
    ]);
    assert.match(list[0].message, /invalid port "\$\{PORT\}x"/);
    // the did-you-mean fix edits the template at the right place
    const fix = list.find((f) => f.code === 'directive-unknown')!.fixes!()[0];
    const e = fix.edits[0];
    assert.equal(e.source.uri, `file://${path}`);
    assert.equal(text.slice(e.start, e.end), 'proxy_pas');
    assert.equal(e.newText, 'proxy_pass');
  });

  it('a message quoting a rendered word quotes the template\'s word', () => {
    const { ls, uri } = lone('a.conf.template', 'server { location / { proxy_read_timeout ${T}x; } }\n');
    const f = ls.findingsFor(uri).find((x) => x.code === 'value-invalid');
    // every stand-in for ${T} followed by "x" is an invalid time
    assert.ok(f, 'reported');
    assert.match(f!.message, /"\$\{T\}x"/);
  });

  it('inline disables work on templates', () => {
    const { list } = lone('a.conf.template', 'server {\n    # nginx-disable-next-line template-undefined\n    listen ${P};\n    # nginx-disable-next-line directive-unknown\n    lisen 80;\n}\n');
    assert.deepEqual(list, []);
  });

  it('the plain-envsubst fix passes the placeholder names in the Dockerfile', () => {
    const { ls } = workspace('plain-envsubst');
    const f = ls.findingsFor('file:///w/default.conf.template').find((x) => x.code === 'template-erases-variable')!;
    assert.match(f.message, /envsubst '\$\{BACKEND\}'/);
    assert.equal(f.related?.[0].source.uri, 'file:///w/Dockerfile');
    const edit = f.fixes!()[0].edits[0];
    assert.equal(edit.source.uri, 'file:///w/Dockerfile');
    const docker = edit.source.file.text;
    const fixed = docker.slice(0, edit.start) + edit.newText + docker.slice(edit.end);
    assert.match(fixed, /envsubst '\$\{BACKEND\}' < \/etc\/nginx\/conf.d\/default.conf.template/);
    assert.deepEqual(findPlainEnvsubst(fixed, 0, ''), [], 'fixed: no plain envsubst left');
  });
});

describe('templates: exact values (--env, --env-file)', () => {
  it('renders with the given values only, and maps findings of the rendered text back', () => {
    const ls = getLanguageService();
    const uri = 'file:///t/default.conf.template';
    const text = 'server {\n    listen ${NGINX_PORT};\n    location / { proxy_read_timeout ${TIMEOUT}; add_header X-Env "${APP_ENV}"; }\n}\n';
    ls.openDocument(uri, text);
    ls.setTemplateValues(new Map([['NGINX_PORT', '8080'], ['TIMEOUT', '10x']]));
    assert.equal(ls.renderTemplate(uri), text.replace('${NGINX_PORT}', '8080').replace('${TIMEOUT}', '10x'), '${APP_ENV} has no value: left as written, as envsubst does');
    const list = ls.findingsFor(uri);
    const got = list.map((f) => `${f.severity} ${f.code} @${text.slice(f.start, f.end)}`);
    assert.deepEqual(got, ['error value-invalid @${TIMEOUT}', 'warning variable-unknown @${APP_ENV}', 'warning template-undefined @${APP_ENV}']);
    assert.match(list[0].message, /invalid value "10x".*\(rendered from "\$\{TIMEOUT\}"\)/);
    ls.setTemplateValues(null);
    assert.deepEqual(ls.findingsFor(uri).map((f) => f.code), ['template-undefined', 'template-undefined', 'template-undefined']);
  });
});

describe('templates: editor features', () => {
  const { ls, files } = workspace('compose-dotenv');
  const path = '/w/nginx/templates/default.conf.template';
  const uri = `file://${path}`;
  const text = files[path];
  const file = parse(text);
  const at = (s: string, k = 3) => positionAt(file, text.indexOf(s) + k);

  it('hover on a placeholder: its values and where they are defined', () => {
    const h = ls.hover(uri, at('${NGINX_PORT}'))!;
    const md = (h.contents as { value: string }).value;
    assert.match(md, /envsubst placeholder/);
    assert.match(md, /`NGINX_PORT=8080` — docker-compose\.yml:9 \(service proxy, environment\)/);
    assert.match(md, /`NGINX_PORT=8080` — \.env:1/);
    assert.deepEqual(h.range, { start: at('${NGINX_PORT}', 0), end: at('${NGINX_PORT}', '${NGINX_PORT}'.length) });
    const cache = (ls.hover(uri, at('${CACHE_SIZE}'))!.contents as { value: string }).value;
    assert.match(cache, /`CACHE_SIZE=64m` — cache\.env:2/);
    // an nginx variable next to it is still described as one
    const v = (ls.hover(uri, at('$http_upgrade', 2))!.contents as { value: string }).value;
    assert.doesNotMatch(v, /placeholder/);
  });

  it('go to definition lands on the defining line', () => {
    const locs = ls.findDefinition(uri, at('${BACKEND_PORT}'));
    assert.deepEqual(locs.map((l) => l.uri), ['file:///w/docker-compose.yml']);
    const compose = files['/w/docker-compose.yml'];
    const start = offsetAt(parse(compose), locs[0].range.start);
    assert.equal(compose.slice(start, start + 'BACKEND_PORT'.length), 'BACKEND_PORT');
    assert.deepEqual(ls.findDefinition(uri, at('${CACHE_VALID}')).map((l) => l.uri), ['file:///w/cache.env']);
  });

  it('completion after ${ offers the names the environment defines (and the filter allows)', () => {
    const edited = text.replace('listen ${NGINX_PORT};', 'listen ${NG');
    ls.openDocument(uri, edited);
    const c = ls.complete(uri, positionAt(parse(edited), edited.indexOf('${NG') + 4));
    const labels = c.items.map((i) => i.label);
    assert.ok(labels.includes('${NGINX_PORT}'));
    assert.ok(labels.includes('${CACHE_SIZE}'));
    assert.ok(!labels.includes('${HOME}'), 'left out by NGINX_ENVSUBST_FILTER');
    assert.ok(!labels.includes('${DATABASE_URL}'), 'another service');
    const item = c.items.find((i) => i.label === '${NGINX_PORT}')!;
    assert.equal((item.textEdit as { newText: string }).newText, '${NGINX_PORT}');
    assert.match(item.detail!, /8080 — docker-compose\.yml:9/);
    // `$` alone still completes nginx variables
    const plain = edited.replace('listen ${NG', 'listen $ho');
    ls.openDocument(uri, plain);
    const v = ls.complete(uri, positionAt(parse(plain), plain.indexOf('$ho') + 3));
    assert.ok(v.items.some((i) => i.label === '$host'));
    ls.openDocument(uri, text);
  });

  it('no placeholder features in an ordinary file', () => {
    const other = getLanguageService();
    other.openDocument('file:///t/a.conf', 'server { listen ${PORT}; }');
    const h = other.hover('file:///t/a.conf', { line: 0, character: 19 });
    assert.doesNotMatch(JSON.stringify(h?.contents ?? ''), /placeholder/);
  });
});

describe('templates: robustness', () => {
  it('800 mutated templates through the service: no exception, findings and fix edits inside the text', () => {
    const { ls, files } = workspace('compose-dotenv');
    const seeds = Object.entries(files).filter(([p]) => /template$/.test(p)).map(([, t]) => t).concat(ISSUE_EXAMPLE);
    const rnd = mulberry32(20261202);
    const extra = ['${', '}', '${A}', '$B', '${BACKEND_PORT}', '${NGINX_PORT}x', '"${APP_ENV}', '$', '{'];
    const failures: string[] = [];
    const uri = 'file:///w/nginx/templates/fuzz.conf.template';
    for (let i = 0; i < 800 && failures.length < 10; i++) {
      let text = mutate(seeds[Math.floor(rnd() * seeds.length)], rnd);
      const at = Math.floor(rnd() * (text.length + 1));
      text = text.slice(0, at) + extra[Math.floor(rnd() * extra.length)] + text.slice(at);
      try {
        ls.openDocument(uri, text, i);
        const list = ls.findingsFor(uri);
        for (const f of list) {
          if (f.start < 0 || f.end > text.length || f.start > f.end) failures.push(`case ${i}: ${f.code} at ${f.start}-${f.end} of ${text.length}`);
          if (/internal error/.test(f.message)) failures.push(`case ${i}: ${f.message}`);
          for (const fix of f.fixes?.() ?? []) {
            for (const e of fix.edits) if (e.start < 0 || e.end > e.source.file.text.length || e.start > e.end) failures.push(`case ${i}: fix edit ${e.start}-${e.end} outside ${e.source.uri}`);
          }
        }
        const file = ls.parsed(uri)!;
        const pos = positionAt(file, Math.floor(rnd() * (text.length + 1)));
        ls.hover(uri, pos);
        ls.complete(uri, pos);
        ls.findDefinition(uri, pos);
        ls.renderTemplate(uri);
      } catch (err) {
        failures.push(`case ${i}: ${(err as Error)?.stack ?? err}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
