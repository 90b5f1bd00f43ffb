/**
 * Values that nginx's hand-written directive handlers accept, which the generated ngx_command_t
 * table cannot express. Hand-checked against the nginx 1.22.1 sources (and the Debian module
 * sources named below); each table cites the function it comes from. Built once at module load;
 * the value-invalid and directive-duplicate checks only do lookups in them.
 */

/**
 * How the `listen` handlers (ngx_http_core_listen, ngx_stream_core_listen, ngx_mail_core_listen)
 * parse the value of their `name=value` parameters. Which parameters a version has is generated
 * (directiveVersions.generated.ts, see versions.ts); `setfib=` and `accept_filter=` exist on FreeBSD
 * builds only and are accepted (no false error for them).
 */
export type ListenValueKind = 'num' | 'size' | 'onoff' | 'keepalive' | 'any';
export const LISTEN_KEYS: Record<'http' | 'stream' | 'mail', ReadonlyMap<string, ListenValueKind>> = {
  http: new Map<string, ListenValueKind>([
    ['setfib', 'any'], ['fastopen', 'num'], ['backlog', 'num'], ['rcvbuf', 'size'], ['sndbuf', 'size'],
    ['accept_filter', 'any'], ['ipv6only', 'onoff'], ['so_keepalive', 'keepalive'],
  ]),
  stream: new Map<string, ListenValueKind>([
    ['setfib', 'any'], ['fastopen', 'num'], ['backlog', 'num'], ['rcvbuf', 'size'], ['sndbuf', 'size'],
    ['accept_filter', 'any'], ['ipv6only', 'onoff'], ['so_keepalive', 'keepalive'],
  ]),
  mail: new Map<string, ListenValueKind>([
    ['backlog', 'num'], ['rcvbuf', 'size'], ['sndbuf', 'size'], ['ipv6only', 'onoff'], ['so_keepalive', 'keepalive'],
  ]),
};

/**
 * http `listen` parameters that set "listen options" (lsopt.set = 1 in ngx_http_core_listen): two
 * `listen` of one address:port may not both carry them (ngx_http_add_addresses: "duplicate listen
 * options for …").
 */
export const LISTEN_OPTION_PARAMS: ReadonlySet<string> = new Set([
  'bind', 'setfib', 'fastopen', 'backlog', 'rcvbuf', 'sndbuf', 'accept_filter', 'deferred', 'ipv6only', 'reuseport', 'so_keepalive',
]);

/**
 * How the upstream `server` handlers (ngx_http_upstream_server in src/http/ngx_http_upstream.c,
 * ngx_stream_upstream_server in src/stream/ngx_stream_upstream.c) parse the value of `name=value`
 * parameters; which parameters a version has is generated (see versions.ts).
 */
export type UpstreamValueKind = 'posnum' | 'num' | 'sec' | 'any';
export const UPSTREAM_SERVER_KEYS: ReadonlyMap<string, UpstreamValueKind> = new Map<string, UpstreamValueKind>([
  ['weight', 'posnum'], ['max_conns', 'num'], ['max_fails', 'num'], ['fail_timeout', 'sec'],
]);
/** NGINX Plus parameters (open-source nginx has some of them from the release versions.ts names). */
export const UPSTREAM_SERVER_FLAGS_PLUS: ReadonlySet<string> = new Set(['resolve', 'drain']);
export const UPSTREAM_SERVER_KEYS_PLUS: ReadonlySet<string> = new Set(['service', 'slow_start', 'route']);

/**
 * Event methods of a Linux nginx build (`use`, ngx_event_use in src/event/ngx_event.c looks the
 * name up among the compiled-in event modules; Linux builds have epoll, poll and select). The
 * others exist on other systems only; named in the message.
 */
export const EVENT_METHODS_LINUX: ReadonlySet<string> = new Set(['epoll', 'poll', 'select']);
export const EVENT_METHODS_OTHER: Readonly<Record<string, string>> = {
  kqueue: 'FreeBSD, macOS', eventport: 'Solaris', '/dev/poll': 'Solaris', iocp: 'Windows',
};

/** Log levels (err_levels and debug_levels in src/core/ngx_log.c; ngx_log_set_levels). */
export const LOG_LEVELS: ReadonlySet<string> = new Set(['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug']);
export const DEBUG_LOG_LEVELS: ReadonlySet<string> = new Set([
  'debug_core', 'debug_alloc', 'debug_mutex', 'debug_event', 'debug_http', 'debug_mail', 'debug_stream',
]);

/**
 * Built-in http variables that are not changeable: `set`, `map`, `geo`, … may not define them
 * (ngx_http_add_variable in src/http/ngx_http_variables.c: "the duplicate "x" variable"). These
 * are the names of ngx_http_core_variables without NGX_HTTP_VAR_CHANGEABLE (only `args` and
 * `limit_rate` carry it there; prefix variables such as `http_` are matched differently).
 */
export const FIXED_HTTP_VARIABLES: ReadonlySet<string> = new Set([
  'http_host', 'http_user_agent', 'http_referer', 'http_via', 'http_x_forwarded_for', 'http_cookie',
  'content_length', 'content_type', 'host', 'binary_remote_addr', 'remote_addr', 'remote_port',
  'proxy_protocol_addr', 'proxy_protocol_port', 'proxy_protocol_server_addr', 'proxy_protocol_server_port',
  'server_addr', 'server_port', 'server_protocol', 'scheme', 'https', 'request_uri', 'uri', 'document_uri',
  'request', 'document_root', 'realpath_root', 'query_string', 'is_args', 'request_filename', 'server_name',
  'request_method', 'remote_user', 'bytes_sent', 'body_bytes_sent', 'pipe', 'request_completion',
  'request_body', 'request_body_file', 'request_length', 'request_time', 'request_id', 'status',
  'sent_http_content_type', 'sent_http_content_length', 'sent_http_location', 'sent_http_last_modified',
  'sent_http_connection', 'sent_http_keep_alive', 'sent_http_transfer_encoding', 'sent_http_cache_control',
  'sent_http_link', 'connection', 'connection_requests', 'connection_time', 'nginx_version', 'hostname',
  'pid', 'msec', 'time_iso8601', 'time_local', 'tcpinfo_rtt', 'tcpinfo_rttvar', 'tcpinfo_snd_cwnd',
  'tcpinfo_rcv_space',
]);
