/**
 * ws-send-timeout: nginx arms proxy_send_timeout on an upgraded connection only while a write to the
 * backend is blocked (ngx_http_upstream_process_upgraded), so it closes sockets to a backend that stops
 * reading (busy, paused, or flooded by a fast client) — not idle ones, which proxy_read_timeout closes.
 */
import { timeoutRule } from './timeouts';

export const wsSendTimeout = timeoutRule('ws-send-timeout', 'proxy_send_timeout', (f) => f.sendTimeout, 'a write to the backend stays blocked (a busy or paused backend that stops reading)',
  'WebSocket location whose proxy_send_timeout is set below nginx\'s 60s default');
