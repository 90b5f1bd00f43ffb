/**
 * Configurations and edits for the incremental-validation tests (test/unit/incremental.test.ts):
 * many servers touching most rule families, and random edits (typing, pasting a directive,
 * deleting) mostly inside one server block.
 */
import { topServers } from '../server/src/service/analysis/incremental';
import { parse } from '../server/src/service/syntax/parser';
import { mulberry32 } from './fuzz/fuzzCore';

/** A configuration with `n` servers that touch most rule families (WebSocket, headers, security, routing). */
export function generated(n: number, seed: number): string {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const out = [
    'user www-data;', 'worker_processes auto;', 'events { worker_connections 4096; }', 'http {',
    '    map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }',
    '    map $uri $dest { /a http://a.internal; }',
    '    upstream chat { server 10.0.0.1:8080; keepalive 16; }',
    '    upstream api { server api.internal:9000; }',
    '    add_header X-Frame-Options SAMEORIGIN;',
    '    resolver 8.8.8.8;',
  ];
  const bodies = [
    'location /ws/ { proxy_pass http://chat; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; }',
    'location /socket { proxy_pass http://chat; proxy_set_header Upgrade $http_upgrade; }',
    'location / { proxy_pass http://api; add_header X-Served-By $hostname; }',
    'location /files { alias /var/www/files/; autoindex on; }',
    'location ~ ^/u/(?<user>[a-z]+)$ { return 200 $user; }',
    'location /r { return 302 https://$http_host$request_uri; }',
    'location /p { proxy_pass http://$arg_host; }',
    'location /admin { allow 10.0.0.0/8; deny all; return 200; }',
    'if ($http_x_debug) { set $dbg 1; }',
    'location /h { add_header Set-Cookie "a=$arg_a"; proxy_pass http://$dest; }',
    'location = /status { stub_status; }',
    'ssl_protocols TLSv1 TLSv1.2;',
    'location ~* \\.(php)$ { fastcgi_pass 127.0.0.1:9000; }',
    'location /x { proxy_pass http://api.internal:9000/; }',
    'location /ws2/ { proxy_pass http://10.0.0.2:8080; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; proxy_read_timeout 30s; }',
  ];
  for (let i = 0; i < n; i++) {
    const names = rnd() < 0.2 ? 'shared.example.com' : `s${i}.example.com`;
    const listen = pick(['listen 80;', 'listen 80 default_server;', 'listen 443 ssl;', 'listen 8080;', 'listen 127.0.0.1:80;']);
    out.push('    server {', `        ${listen}`, `        server_name ${names} www.${names};`);
    if (listen.includes('ssl') && rnd() < 0.7) out.push('        ssl_certificate /etc/ssl/a.pem;', '        ssl_certificate_key /etc/ssl/a.key;');
    const k = 1 + Math.floor(rnd() * 4);
    for (let j = 0; j < k; j++) out.push(`        ${pick(bodies)}`);
    out.push('    }');
  }
  out.push('}', '');
  return out.join('\n');
}

const INSERTS = [
  'proxy_read_timeout 3600s;', 'add_header X-Content-Type-Options nosniff;', 'set $foo bar;', 'return 301 https://$host$request_uri;',
  'location /ws9/ { proxy_pass http://chat; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; }',
  'listen 443 ssl;', 'listen 80;', 'server_name shared.example.com;', 'server_name other.example.com;', 'proxy_pass http://$arg_x;', 'alias /var/www/;',
  'autoindex on;', 'if ($http_x = 1) { return 403; }', 'location ~ ^/(?<n>.+)$ { return 200 $n; }', 'proxy_set_header Host $http_host;',
  'server_tokens off;', 'error_log off;', 'ssl_protocols TLSv1;', 'return 200 $foo;', 'return 200 $undefined_var;', 'proxy_pass http://newhost.internal;',
  'location /y { proxy_pass http://chat; }', 'uwsgi_pass 127.0.0.1:3031;', 'ssl_certificate /etc/ssl/b.pem;', 'include mime.types;',
  '# nginx-disable-next-line', 'p', 'proxy_', '{', '}', ';', '"', '#', '$', 'location', ' ', '\n',
];

/** One random edit: mostly inside a server block (typing, pasting a directive, deleting), sometimes outside. */
export function edit(text: string, rnd: () => number): string {
  const file = parse(text);
  const servers = topServers(file);
  let lo = 0, hi = text.length;
  if (servers.length && rnd() < 0.9) {
    const s = servers[Math.floor(rnd() * servers.length)];
    if (s.block && s.block.close > s.block.open) { lo = s.block.open + 1; hi = s.block.close; }
  }
  const at = lo + Math.floor(rnd() * Math.max(1, hi - lo));
  const r = rnd();
  if (r < 0.55) {
    const ins = INSERTS[Math.floor(rnd() * INSERTS.length)];
    return text.slice(0, at) + (ins.length > 2 && rnd() < 0.7 ? `\n        ${ins}\n` : ins) + text.slice(at);
  }
  if (r < 0.8) return text.slice(0, at) + text.slice(Math.min(hi, at + 1 + Math.floor(rnd() * 3)));
  // delete the line at `at`
  const ls = text.lastIndexOf('\n', at - 1) + 1;
  const le = text.indexOf('\n', at);
  return ls >= lo && le >= 0 && le < hi ? text.slice(0, ls) + text.slice(le + 1) : text;
}

