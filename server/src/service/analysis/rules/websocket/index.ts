import type { Rule } from '../../types';
import { wsBuffering } from './wsBuffering';
import { wsConnectionHardcoded } from './wsConnectionHardcoded';
import { wsConnectionHeader } from './wsConnectionHeader';
import { wsForwardedProto } from './wsForwardedProto';
import { wsHeadersDropped } from './wsHeadersDropped';
import { wsHttpVersion } from './wsHttpVersion';
import { wsKeepaliveClose } from './wsKeepaliveClose';
import { wsMapInvalid } from './wsMapInvalid';
import { wsMapMissing } from './wsMapMissing';
import { wsReadTimeout } from './wsReadTimeout';
import { wsSendTimeout } from './wsSendTimeout';
import { wsStickyUpstream } from './wsStickyUpstream';
import { wsUpgradeHeader } from './wsUpgradeHeader';

/**
 * Rules of the "websocket" family (see docs/rules/ws-*.md and docs/websocket.md). The order is the
 * order "Fix all WebSocket issues" applies fixes in: restoring dropped headers first, then the
 * headers and the map, then HTTP/1.1, timeouts and the finer points.
 */
export const websocketRules: Rule[] = [
  wsHeadersDropped,
  wsUpgradeHeader,
  wsConnectionHeader,
  wsConnectionHardcoded,
  wsMapMissing,
  wsMapInvalid,
  wsHttpVersion,
  wsReadTimeout,
  wsSendTimeout,
  wsForwardedProto,
  wsBuffering,
  wsStickyUpstream,
  wsKeepaliveClose,
];
