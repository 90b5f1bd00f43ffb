/**
 * A WebSocket + HTTP backend on 127.0.0.1 for the end-to-end tests that put real nginx in front of
 * it. One implementation of the listen / upgrade / stop plumbing; each test supplies what its backend
 * answers (plain requests, whether to accept a handshake, what an accepted socket does).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export interface WsBackendHandlers {
  /** a plain request (or a handshake Node's parser does not see as an upgrade) */
  request(req: IncomingMessage, res: ServerResponse): void;
  /** an accepted WebSocket */
  socket(ws: WebSocket, req: IncomingMessage): void;
  /** called before the handshake is accepted; return false after answering `socket` yourself (e.g. a 400) */
  accept?(req: IncomingMessage, socket: Duplex): boolean;
}

export class WsBackend {
  server: Server | null = null;
  readonly wss = new WebSocketServer({ noServer: true });
  port = 0;
  constructor(private readonly handlers: WsBackendHandlers) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => this.handlers.request(req, res));
    server.on('upgrade', (req, socket, head) => {
      if (this.handlers.accept && !this.handlers.accept(req, socket)) return;
      this.wss.handleUpgrade(req, socket, head, (ws) => this.handlers.socket(ws, req));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const a = server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
