/** ws-read-timeout: an idle WebSocket is closed after proxy_read_timeout without data from the backend. */
import { timeoutRule } from './timeouts';

export const wsReadTimeout = timeoutRule('ws-read-timeout', 'proxy_read_timeout', (f) => f.readTimeout, 'the backend sends nothing',
  'WebSocket location whose effective proxy_read_timeout is at most 60s (the default) with no known heartbeat, or does not exceed the heartbeat');
