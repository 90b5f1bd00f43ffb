/**
 * Templates against real nginx: each fixture template rendered with real values (the workspace's,
 * host names replaced by loopback addresses because Docker's service names do not resolve here)
 * passes real `nginx -t` in the context the image includes it in; and a mistake in a value lands,
 * in our findings on the template, on the line real nginx reports for the rendered file.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fixtureFiles } from '../helpers';
import { getLanguageService } from '../../server/src/service/languageService';
import { MemoryFileSystem } from '../../server/src/service/workspace/fileSystem';
import { positionAt } from '../../server/src/service/syntax/positions';

const NGINX_T = resolve(__dirname, '..', '..', '..', 'shared', 'tools', 'nginx-t.sh');
const skip = !existsSync('/usr/sbin/nginx') ? 'skipped: no /usr/sbin/nginx (Debian nginx-extras)' : !existsSync(NGINX_T) ? `skipped: ${NGINX_T} not found` : false;
const fixtures = resolve(__dirname, '..', 'fixtures', 'templates');

/** real `nginx -t` (1.22) of a text included in `context`: 'VALID' or 'INVALID\t[emerg] …' */
function nginxT(text: string, context: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-tpl-'));
  try {
    const file = join(dir, 'rendered.conf');
    writeFileSync(file, text);
    return execFileSync('bash', [NGINX_T, '1.22', file, context], { encoding: 'utf8', timeout: 30_000 }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function load(name: string): Record<string, string> {
  return fixtureFiles(join(fixtures, name), '/w');
}

/** host names of the fixtures' environments that only Docker resolves */
const LOOPBACK: Record<string, string> = { BACKEND_HOST: '127.0.0.1', UPSTREAM: '127.0.0.1:9000', NGINX_HOST: 'localhost' };

const CASES: [string, string][] = [
  ['image-example', '/w/templates/default.conf.template'],
  ['compose-dotenv', '/w/nginx/templates/default.conf.template'],
  ['compose-dotenv', '/w/nginx/templates/db.stream-template'],
  ['dockerfile', '/w/templates/site.conf'],
];

describe('oracle: rendered templates and real nginx -t (1.22.1)', { skip }, () => {
  for (const [ws, path] of CASES) {
    it(`${ws}${path.slice(2)}: rendered with real values, nginx accepts it, and so do we`, () => {
      const files = load(ws);
      const ls = getLanguageService({ fs: new MemoryFileSystem(files), folders: ['/w'] });
      const uri = `file://${path}`;
      const t = ls.template(uri)!;
      const values = new Map<string, string>();
      for (const [name, defs] of t.env.defs) {
        const v = LOOPBACK[name] ?? defs.find((d) => d.value !== null)?.value;
        if (v !== undefined && v !== null) values.set(name, v);
      }
      ls.setTemplateValues(values);
      const rendered = ls.renderTemplate(uri)!;
      assert.doesNotMatch(rendered, /\$\{[A-Z_]+\}/, 'every placeholder has a value');
      const context = t.outer.length === 0 ? 'main' : t.outer[t.outer.length - 1];
      assert.equal(nginxT(rendered, context), 'VALID');
      assert.deepEqual(ls.findingsFor(uri).filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`), []);
    });
  }

  it('a bad value: our finding on the template is on the line nginx reports for the rendered file', () => {
    const files = load('compose-dotenv');
    const ls = getLanguageService({ fs: new MemoryFileSystem(files), folders: ['/w'] });
    const path = '/w/nginx/templates/default.conf.template';
    const uri = `file://${path}`;
    const values = new Map([...ls.template(uri)!.env.defs].map(([n, d]) => [n, LOOPBACK[n] ?? d[0].value ?? '']));
    values.set('TIMEOUT', '1hour');
    ls.setTemplateValues(values);
    const verdict = nginxT(ls.renderTemplate(uri)!, 'http');
    const m = /^INVALID\t\[emerg\] (.*) in \S+:(\d+)$/.exec(verdict);
    assert.ok(m, verdict);
    assert.match(m[1], /"proxy_read_timeout" directive invalid value/);
    const f = ls.findingsFor(uri).find((x) => x.code === 'value-invalid');
    assert.ok(f, 'reported');
    const text = files[path];
    const at = positionAt(ls.parsed(uri)!, f.start);
    assert.equal(at.line + 1, Number(m[2]), 'same line as nginx');
    assert.equal(text.slice(f.start, f.end), '${TIMEOUT}');
  });
});
