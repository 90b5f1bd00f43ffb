/** Directive name → the hand-written-handler checks that apply to it (built once). */
import { checkAccess } from './access';
import { checkCacheValid } from './cacheValid';
import { checkErrorPage } from './errorPage';
import { checkUse } from './eventMethod';
import { checkExpires } from './expires';
import { checkGeo } from './geoRanges';
import { checkMoreHeadersIn, checkMoreHeadersOut } from './headersMore';
import { checkIf } from './ifCondition';
import { checkAlways, checkIfNotEmpty } from './keywordArg';
import { checkListen } from './listen';
import { checkLocationModifier } from './locationModifier';
import { checkErrorLog } from './logLevel';
import { checkKeepaliveTimeout, checkWorkerConnections, checkWorkerProcesses } from './numbers';
import { checkPassAddress } from './passAddress';
import { checkResolver } from './resolver';
import { checkReturn } from './returnCode';
import { checkRewriteFlag } from './rewriteFlag';
import { checkSessionCache } from './sessionCache';
import type { DirectiveCheck } from './types';
import { checkUpstreamServer } from './upstreamServer';

export const HANDLER_CHECKS: ReadonlyMap<string, DirectiveCheck> = new Map<string, DirectiveCheck>([
  ['listen', checkListen],
  ['server', checkUpstreamServer],
  ['expires', checkExpires],
  ['return', checkReturn],
  ['proxy_cache_valid', checkCacheValid],
  ['fastcgi_cache_valid', checkCacheValid],
  ['uwsgi_cache_valid', checkCacheValid],
  ['scgi_cache_valid', checkCacheValid],
  ['ssl_session_cache', checkSessionCache],
  ['worker_connections', checkWorkerConnections],
  ['worker_processes', checkWorkerProcesses],
  ['keepalive_timeout', checkKeepaliveTimeout],
  ['use', checkUse],
  ['error_log', checkErrorLog],
  ['resolver', checkResolver],
  ['allow', checkAccess],
  ['deny', checkAccess],
  ['add_header', checkAlways],
  ['add_trailer', checkAlways],
  ['fastcgi_param', checkIfNotEmpty],
  ['scgi_param', checkIfNotEmpty],
  ['uwsgi_param', checkIfNotEmpty],
  ['more_set_headers', checkMoreHeadersOut],
  ['more_clear_headers', checkMoreHeadersOut],
  ['more_set_input_headers', checkMoreHeadersIn],
  ['more_clear_input_headers', checkMoreHeadersIn],
  ['proxy_pass', checkPassAddress],
  ['fastcgi_pass', checkPassAddress],
  ['uwsgi_pass', checkPassAddress],
  ['scgi_pass', checkPassAddress],
  ['grpc_pass', checkPassAddress],
  ['memcached_pass', checkPassAddress],
  ['if', checkIf],
  ['location', checkLocationModifier],
  ['geo', checkGeo],
  ['error_page', checkErrorPage],
  ['rewrite', checkRewriteFlag],
]);
