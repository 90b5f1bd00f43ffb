import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Arg, Ctx, argsOk, contextOfPath, describeArgs, lookup, suggestNames, TABLE_VERSION,
} from '../../server/src/service/knowledge/directiveDb';
import { DIRECTIVE_ROWS, MODULES } from '../../server/src/service/knowledge/directives.generated';
import { VERSIONED_MODULES, VERSIONED_ROWS } from '../../server/src/service/knowledge/directiveVersions.generated';
import { deprecationOf, inRange, paramIn, releaseOf } from '../../server/src/service/knowledge/versions';
import { humanSize, humanTime, parseSize, parseTime } from '../../server/src/service/knowledge/units';
import { isBuiltinVariable, namedCaptures, variableRefs } from '../../server/src/service/knowledge/variables';
import { resolveSettings } from '../../server/src/service/settings';

describe('knowledge: generated table', () => {
  it('comes from nginx 1.22.1 sources', () => assert.equal(TABLE_VERSION, '1.22.1'));

  it('argument bits and contexts as nginx declares them', () => {
    const pass = lookup('proxy_pass', Ctx.location);
    assert.equal(pass.status, 'known');
    assert.equal(pass.spec!.module, 'ngx_http_proxy_module');
    assert.equal(pass.spec!.args, Arg.TAKE1);
    assert.ok(pass.spec!.contexts & Ctx.lif && pass.spec!.contexts & Ctx.limit_except);
    assert.equal(lookup('proxy_pass', Ctx.stream_server).spec!.module, 'ngx_stream_proxy_module');
    assert.equal(lookup('proxy_pass', Ctx.http).spec, null);
    assert.equal(lookup('gzip', Ctx.http).spec!.slot, 'flag');
    // per release (directiveVersions.generated.ts): 1.22 knows 1.0/1.1, 1.29.4 adds 2; unknown version = newest
    assert.deepEqual(lookup('proxy_http_version', Ctx.location, resolveSettings({ version: '1.22' })).spec!.values, ['1.0', '1.1']);
    assert.deepEqual(lookup('proxy_http_version', Ctx.location, resolveSettings({ version: '1.30' })).spec!.values, ['1.0', '1.1', '2']);
    assert.deepEqual(lookup('proxy_http_version', Ctx.location).spec!.values, ['1.0', '1.1', '2']);
    assert.equal(lookup('proxy_read_timeout', Ctx.location).spec!.slot, 'msec');
    assert.equal(lookup('client_max_body_size', Ctx.location).spec!.slot, 'off');
    assert.ok(lookup('types', Ctx.http).spec!.customBody);
    assert.ok(lookup('root', Ctx.location).spec!.duplicateError);
    assert.ok(!lookup('add_header', Ctx.location).spec!.duplicateError);
  });

  it('the per-release table agrees with the 1.22.1 table on every directive of nginx\'s own modules', () => {
    const release = releaseOf('1.22.1')!;
    assert.equal(release, '1.22.1');
    const fromOld = DIRECTIVE_ROWS.filter((r) => VERSIONED_MODULES.includes(MODULES[r[1]]))
      .map((r) => JSON.stringify([r[0], MODULES[r[1]], r[2], r[3], r[4], r[5], r[6]])).sort();
    const fromNew = VERSIONED_ROWS.filter((r) => inRange(r[7], r[8], release))
      .map((r) => JSON.stringify([r[0], VERSIONED_MODULES[r[1]], r[2], r[3], r[4], r[5], r[6]])).sort();
    assert.ok(fromOld.length > 600, `${fromOld.length} rows`);
    // the one difference: the per-release generator no longer marks handlers that refuse only a repeat
    // after "… off" as "is duplicate" (fixed after the 1.22.1 table was made; nginx accepts repeats)
    const afterOff = ['proxy_cookie_domain', 'proxy_cookie_flags', 'proxy_cookie_path', 'proxy_redirect'];
    const unflag = (k: string) => { const r = JSON.parse(k); if (afterOff.includes(r[0])) r[6] &= ~1; return JSON.stringify(r); };
    assert.deepEqual(fromNew, fromOld.map(unflag));
    assert.notDeepEqual(fromOld.map(unflag), fromOld);
  });

  it('versions: removed, newer and deprecated directives', () => {
    const v = (version: string) => resolveSettings({ version });
    assert.equal(releaseOf('1.26'), '1.26.3');
    assert.equal(releaseOf('1.24'), '1.24.0');
    assert.equal(releaseOf(''), null);
    assert.equal(lookup('ssl', Ctx.server, v('1.22')).status, 'known');
    assert.equal(lookup('ssl', Ctx.server, v('1.26')).status, 'removed');
    assert.equal(lookup('ssl', Ctx.server, v('1.25.1')).status, 'removed');
    assert.equal(lookup('ssl', Ctx.server, v('1.25.0')).status, 'known');
    assert.equal(lookup('http2', Ctx.server, v('1.22')).status, 'newer');
    assert.equal(lookup('http2', Ctx.server, v('1.26')).status, 'known');
    assert.equal(lookup('keepalive_min_timeout', Ctx.http, v('1.26')).status, 'newer');
    assert.equal(lookup('keepalive_min_timeout', Ctx.http, v('1.30')).status, 'known');
    assert.deepEqual(deprecationOf('ssl', 'ngx_http_ssl_module', v('1.22')), { use: 'listen ... ssl', since: '', until: '1.25.1' });
    assert.equal(deprecationOf('ssl', 'ngx_http_ssl_module', v('1.26')), null);
    assert.equal(deprecationOf('http2_push', 'ngx_http_v2_module', v('1.22')), null);
    assert.equal(deprecationOf('http2_push', 'ngx_http_v2_module', v('1.26'))?.use, '');
    assert.equal(paramIn('listen:http', 'quic', v('1.22'))?.status, 'newer');
    assert.equal(paramIn('listen:http', 'quic', v('1.26'))?.status, 'ok');
    assert.equal(paramIn('listen:http', 'http2', v('1.22'))?.fact.deprecated, false);
    assert.equal(paramIn('listen:http', 'http2', v('1.26'))?.fact.deprecated, true);
    assert.equal(paramIn('server:upstream', 'resolve', v('1.26'))?.status, 'newer');
    assert.equal(paramIn('server:upstream', 'resolve', v('1.30'))?.status, 'ok');
    assert.equal(paramIn('listen:http', 'spdy', v('1.22')), null);
  });

  it('third-party modules of nginx-extras are known', () => {
    for (const n of ['content_by_lua_block', 'more_set_headers', 'echo', 'fancyindex', 'geoip2', 'subs_filter', 'nchan_publisher', 'js_import', 'set_sha1']) {
      assert.equal(lookup(n).status, 'known', n);
    }
  });

  it('argsOk follows ngx_conf_handler', () => {
    assert.ok(argsOk(Arg.FLAG, 1) && !argsOk(Arg.FLAG, 2));
    assert.ok(argsOk(Arg.TAKE1 | Arg.TAKE2, 2) && !argsOk(Arg.TAKE1 | Arg.TAKE2, 3));
    assert.ok(argsOk(Arg.MORE1, 5) && !argsOk(Arg.MORE1, 0));
    assert.ok(argsOk(Arg.NOARGS | Arg.BLOCK, 0));
    assert.equal(describeArgs(Arg.TAKE1 | Arg.TAKE2 | Arg.TAKE3 | Arg.TAKE4), '1 to 4');
  });

  it('contexts: if in server vs location, stream server', () => {
    assert.equal(contextOfPath(['http', 'server', 'if']), Ctx.sif);
    assert.equal(contextOfPath(['http', 'server', 'location', 'if']), Ctx.lif);
    assert.equal(contextOfPath(['stream', 'server']), Ctx.stream_server);
    assert.equal(contextOfPath(['http', 'map']), 0);
  });

  it('Plus and version awareness', () => {
    assert.equal(lookup('keyval_zone', Ctx.http).status, 'plus');
    assert.equal(lookup('keyval_zone', Ctx.http, resolveSettings({ plus: true })).status, 'known');
    assert.equal(lookup('http2', Ctx.server).status, 'known');
    assert.equal(lookup('http2', Ctx.server, resolveSettings({ version: '1.22' })).status, 'newer');
  });

  it('did-you-mean', () => {
    assert.equal(suggestNames('proxy_pas', Ctx.location)[0], 'proxy_pass');
    assert.equal(suggestNames('server_nmae', Ctx.server)[0], 'server_name');
  });
});

describe('knowledge: units (ngx_parse_time / ngx_parse_size)', () => {
  it('times', () => {
    assert.equal(parseTime('3600s'), 3600_000);
    assert.equal(parseTime('1h30m'), 5400_000);
    assert.equal(parseTime('1h 30m'), 5400_000);
    assert.equal(parseTime('500ms'), 500);
    assert.equal(parseTime('60'), 60_000);
    assert.equal(parseTime('1d', 'sec'), 86400);
    assert.equal(parseTime('1y', 'sec'), 365 * 86400);
    assert.equal(parseTime('1M'), null); // msec slots refuse months
    assert.equal(parseTime('1y'), null);
    assert.equal(parseTime('100ms', 'sec'), null);
    assert.equal(parseTime('1m1h'), null); // units must descend
    assert.equal(parseTime('10x'), null);
    assert.equal(parseTime(''), null);
  });

  it('sizes', () => {
    assert.equal(parseSize('10m'), 10 * 1024 * 1024);
    assert.equal(parseSize('8K'), 8192);
    assert.equal(parseSize('1g', 'off'), 1024 ** 3);
    assert.equal(parseSize('1g', 'size'), null); // ngx_parse_size has no g in 1.22
    assert.equal(parseSize('10q'), null);
    assert.equal(parseSize('k'), null);
  });

  it('plain words', () => {
    assert.equal(humanTime(3600_000), '1 hour');
    assert.equal(humanTime(5400_000), '1 hour 30 minutes');
    assert.equal(humanTime(500), '500 milliseconds');
    assert.equal(humanSize(10 * 1024 * 1024), '10 megabytes');
    assert.equal(humanSize(512), '512 bytes');
  });
});

describe('knowledge: variables', () => {
  it('built-ins and prefix families', () => {
    for (const v of ['remote_addr', 'host', 'http_x_anything', 'arg_page', 'cookie_sid', 'sent_http_etag', 'upstream_http_server', 'jwt_claim_sub', '1', 'geoip_country_code']) {
      assert.ok(isBuiltinVariable(v), v);
    }
    assert.ok(!isBuiltinVariable('connection_upgrade'));
    // a family name alone is one too: ngx_http_variables_init_vars matches `name.len >= prefix.len`
    // (nginx's own test suite uses `$arg_`)
    assert.ok(isBuiltinVariable('http_') && isBuiltinVariable('arg_'));
  });

  it('references and captures', () => {
    assert.deepEqual(variableRefs('"$a-${b}c$1x\\$d"').map((r) => r.name), ['a', 'b', '1']);
    assert.deepEqual(namedCaptures('^/(?<id>\\d+)/(?P<slug>.+)$'), ['id', 'slug']);
  });
});
