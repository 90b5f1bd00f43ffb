/**
 * Version detection from the workspace (docs/versions.md): fixture workspaces with a Dockerfile, a
 * compose file, a `# nginx: version=` comment, and nothing; the diagnostics follow the version found.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { getLanguageService } from '../../server/src/service/languageService';
import { resolveSettings } from '../../server/src/service/settings';
import { pathToUri } from '../../server/src/service/paths';
import { versionFromImage } from '../../server/src/service/workspace/versionDetect';
import { NEWEST_RELEASE } from '../../server/src/service/knowledge/versions';
import { NodeFileSystem } from '../../server/src/nodeFileSystem';

const root = path.resolve(__dirname, '..', 'fixtures', 'workspaces', 'versions');

function open(ws: string, file: string, settings?: unknown) {
  const folder = path.join(root, ws);
  const ls = getLanguageService({ fs: new NodeFileSystem(), folders: [folder], settings: settings ? resolveSettings(settings) : undefined });
  const uri = pathToUri(path.join(folder, file));
  return { ls, uri };
}

describe('version detection', () => {
  it('reads image references', () => {
    assert.equal(versionFromImage('nginx:1.27.3-alpine'), '1.27.3');
    assert.equal(versionFromImage('docker.io/library/nginx:1.24'), '1.24');
    assert.equal(versionFromImage('nginxinc/nginx-unprivileged:1.25-alpine'), '1.25');
    assert.equal(versionFromImage('openresty/openresty:1.25.3.1-alpine'), '1.25.3');
    assert.equal(versionFromImage('nginx:mainline'), NEWEST_RELEASE);
    assert.equal(versionFromImage('nginx'), NEWEST_RELEASE);
    assert.match(versionFromImage('nginx:stable-alpine') ?? '', /^1\.\d*[02468]$/);
    assert.equal(versionFromImage('node:22'), null);
    assert.equal(versionFromImage('mycompany/nginx:1.2'), null);
    assert.equal(versionFromImage('$BASE'), null);
  });

  const cases: [string, string, string | null, RegExp | null, 'error' | 'warning'][] = [
    ['dockerfile', 'nginx.conf', '1.26.3', /Dockerfile: `FROM nginx:1\.26\.3-alpine`/, 'error'],
    ['compose', 'conf/nginx.conf', '1.22', /compose\.yaml: `image: "nginx:1\.22"`/, 'warning'],
    ['comment', 'nginx.conf', '1.30', /comment of this file/, 'error'],
    ['none', 'nginx.conf', null, null, 'warning'],
  ];
  for (const [ws, file, version, why, severity] of cases) {
    it(`${ws}: assumes ${version ?? 'nothing'}, and "ssl on;" is ${severity === 'error' ? 'an error' : 'a warning'}`, () => {
      const { ls, uri } = open(ws, file);
      const text = ls.workspace.fs!.readFile(path.join(root, ws, file))!;
      ls.openDocument(uri, text);
      const a = ls.assumedVersion(uri);
      assert.equal(a?.version ?? null, version);
      if (why) assert.match(a!.why, why);
      const ssl = ls.findingsFor(uri).filter((f) => f.code === 'directive-removed' || f.code === 'directive-deprecated');
      assert.equal(ssl.length, 1, ssl.map((f) => f.message).join(' | '));
      assert.equal(ssl[0].severity, severity);
      // hover on the first line says it
      const hover = ls.hover(uri, { line: 0, character: 1 });
      const md = hover ? (hover.contents as { value: string }).value : '';
      assert.match(md, version ? new RegExp(`nginx ${version.replace(/\./g, '\\.')}`) : /nginx version unknown/);
    });
  }

  it('the nginx.version setting wins over the workspace', () => {
    const { ls, uri } = open('dockerfile', 'nginx.conf', { version: '1.22' });
    ls.openDocument(uri, ls.workspace.fs!.readFile(path.join(root, 'dockerfile', 'nginx.conf'))!);
    assert.deepEqual(ls.assumedVersion(uri), { version: '1.22', why: 'the "nginx.version" setting' });
    assert.ok(ls.findingsFor(uri).every((f) => f.severity !== 'error'));
  });
});
