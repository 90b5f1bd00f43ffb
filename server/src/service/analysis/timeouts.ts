/**
 * The timeout policy for long-lived proxied connections (WebSocket, and any family that asks):
 * whether an effective proxy_read_timeout / proxy_send_timeout closes sockets that should stay open,
 * and the value a fix writes, from `nginx.websocket.timeout` and `nginx.websocket.heartbeatInterval`.
 */
import type { Settings } from '../settings';
import { timeSeconds } from '../knowledge/units';
import type { EffectiveValue } from './effective';

/**
 * The heartbeat and configured timeout in seconds: asked for each location, parsed once per settings
 * (the texts are kept, so a settings object changed in place is parsed again).
 */
const timeoutSettingsCache = new WeakMap<Settings, { heartbeat: string; timeout: string; hb: number; configured: number }>();

function timeoutSettings(settings: Settings): { hb: number; configured: number } {
  const { heartbeatInterval, timeout } = settings.websocket;
  let t = timeoutSettingsCache.get(settings);
  if (!t || t.heartbeat !== heartbeatInterval || t.timeout !== timeout) {
    t = {
      heartbeat: heartbeatInterval,
      timeout,
      hb: timeSeconds(heartbeatInterval || '') ?? 0,
      configured: timeSeconds(timeout) ?? 3600,
    };
    timeoutSettingsCache.set(settings, t);
  }
  return t;
}

/** Socket.IO (engine.io) servers ping every 25 s by default (pingInterval 25000): data from the backend that resets proxy_read_timeout. */
const SOCKET_IO_PING = 25;
const SOCKET_IO_RE = /(?:^|[/^])(?:socket\.io|engine\.io)(?:[/$?(]|$)/i;

/**
 * Why a WebSocket timeout closes sockets that should stay open, or null.
 *
 * read: nginx closes an upgraded connection when the backend sends nothing for proxy_read_timeout
 * (ngx_http_upstream_process_upgraded arms it on every wait for upstream data). A known heartbeat —
 * `nginx.websocket.heartbeatInterval`, or Socket.IO's 25 s ping on a socket.io path — resets it, so a
 * timeout above the heartbeat is fine; without one, an idle socket dies after the timeout, which
 * matters when it is at most 60 s (the default) and below `nginx.websocket.timeout`.
 *
 * send: the timer runs only while a write to the backend is blocked, so only a value set below
 * nginx's 60 s default can matter (a briefly busy backend then loses its sockets).
 */
export function timeoutProblem(value: EffectiveValue, settings: Settings, path = '', kind: 'read' | 'send' = 'read'): string | null {
  const secs = timeSeconds(value.value);
  if (secs === null) return null;
  const { hb, configured } = timeoutSettings(settings);
  if (kind === 'send') {
    return !value.isDefault && secs < 60 && secs < configured ? `${value.name} is only ${value.value}` : null;
  }
  const heartbeat = hb > 0 ? hb : SOCKET_IO_RE.test(path.replace(/\\/g, '')) ? SOCKET_IO_PING : 0;
  if (heartbeat > 0) {
    if (secs > heartbeat) return null;
    const what = hb > 0 ? `the heartbeat interval (${settings.websocket.heartbeatInterval})` : "Socket.IO's 25s ping interval";
    return `${value.name} ${value.isDefault ? '(the 60s default) ' : value.value + ' '}does not exceed ${what}`;
  }
  if (secs <= 60 && secs < configured) {
    return value.isDefault
      ? `${value.name} is not set, so nginx's default of 60s applies`
      : `${value.name} is only ${value.value}`;
  }
  return null;
}

/** The value timeout fixes write: `nginx.websocket.timeout`, raised above twice the heartbeat when needed. */
export function timeoutFixValue(settings: Settings): string {
  const configured = settings.websocket.timeout || '3600s';
  const hb = timeSeconds(settings.websocket.heartbeatInterval || '') ?? 0;
  const c = timeSeconds(configured);
  if (hb > 0 && (c === null || c <= hb)) return `${Math.ceil(hb * 3)}s`;
  return configured;
}
