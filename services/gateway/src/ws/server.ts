/**
 * The WebSocket endpoint `/v1.0/ws?token=`. A bad or expired token still completes the upgrade and
 * is then closed with 4001, so that every client sees the same close code (also mid-connection).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { isAppError } from '@talk/shared/errors';
import type { Access } from '../domain/access';
import { createConnection, type ConnectionDeps } from './connection';
import { CLOSE_CODES, MAX_FRAME_BYTES, textOf } from './frames';

export const WS_PATH = '/v1.0/ws';

/** How long a client gets to answer the closing handshake before its socket is cut. */
const CLOSE_HANDSHAKE_MS = 3_000;

/**
 * What a socket's frames may take before its token is checked: past it, the socket is read no
 * more until the token is checked, so the rest waits in the kernel's buffers (TCP pushes back on
 * the client) and a client that resubscribes to all its talks at once is served once it is let in.
 */
export const BEFORE_AUTH = { frames: 64, bytes: 16 * 1024 } as const;

/** A refused socket is not read from again, and is destroyed if its close has not completed by then. */
export const REFUSED_CLOSE_MS = 1_000;

/** setTimeout cannot wait longer than this. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface WsEndpointDeps extends Omit<ConnectionDeps, 'access' | 'onRemoved' | 'onTooSlow'> {
  readonly access: Access;
  readonly pingIntervalMs: number;
  /** Connections the process holds at most, signed in or not; more are closed with 1013. */
  readonly maxConnections: number;
  /** Signed-in connections one agent may hold to this process; more are closed with 1013. */
  readonly maxConnectionsPerAgent: number;
  /** How often every connected agent's status is checked again (a deactivated agent gets 4001). */
  readonly authRecheckMs: number;
  /** Told of every signed-in connection that opens and closes: the agent's presence. */
  readonly presenceOf: { connected(agentId: string): void; disconnected(agentId: string): void };
}

export interface WsEndpoint {
  /** Takes over an HTTP upgrade request for `/v1.0/ws`; anything else gets 404. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  connectionCount(): number;
  /** Connections closed with 4008 since start. */
  tooSlowCount(): number;
  /** Closes every socket with 1001 after what was queued for it is flushed. */
  close(): Promise<void>;
}

function tokenOf(req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://gateway');
  const header = req.headers.authorization;
  const bearer = header === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  return url.searchParams.get('token') ?? bearer;
}

/** Answers an upgrade request with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: '404 Not Found' | '503 Service Unavailable'): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createWsEndpoint(deps: WsEndpointDeps): WsEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  const agentOf = new Map<WebSocket, string>();
  /** Open, authenticated connections per agent: at most `maxConnectionsPerAgent` each. */
  const connectionsOf = new Map<string, number>();
  let tooSlow = 0;

  /** Closes with 4001 every connection of an agent that was deactivated since it connected. */
  async function recheck(agentIds: readonly string[]): Promise<void> {
    if (agentIds.length === 0) return;
    const inactive = await deps.access.inactiveAgents([...new Set(agentIds)]);
    for (const [socket, agentId] of agentOf) {
      if (inactive.has(agentId)) refuse(socket, 'agent deactivated');
    }
  }

  function recheckLogged(agentIds: readonly string[]): void {
    recheck(agentIds).catch((error: unknown) => deps.log.warn({ err: error }, 'could not re-check connected agents'));
  }

  /**
   * Closes the socket (4001 unless said) and reads nothing more from it: whatever a refused client goes on
   * sending stays in the kernel's buffers, and a client that does not complete the close in
   * `REFUSED_CLOSE_MS` is cut.
   */
  function refuse(socket: WebSocket, reason: string, code: number = CLOSE_CODES.badToken): void {
    if (socket.readyState === WebSocket.CLOSED) return;
    socket.removeAllListeners('message');
    socket.close(code, reason);
    socket.pause();
    setTimeout(() => socket.terminate(), REFUSED_CLOSE_MS).unref();
  }

  async function onConnection(socket: WebSocket, tcp: Duplex, req: IncomingMessage): Promise<void> {
    // Frames that arrive while the token is checked wait for the connection, in order; past
    // `BEFORE_AUTH` the socket is paused until then.
    const early: string[] = [];
    let earlyBytes = 0;
    const hold = (data: WebSocket.RawData): void => {
      const text = textOf(data);
      early.push(text);
      earlyBytes += Buffer.byteLength(text);
      if (early.length >= BEFORE_AUTH.frames || earlyBytes >= BEFORE_AUTH.bytes) socket.pause();
    };
    socket.on('message', hold);
    let agent;
    try {
      agent = await deps.access.authenticate(tokenOf(req));
    } catch (error) {
      if (!isAppError(error)) deps.log.error({ err: error }, 'authentication failed unexpectedly');
      early.length = 0;
      refuse(socket, 'bad or expired token');
      return;
    }
    if (socket.readyState !== WebSocket.OPEN) return;
    if ((connectionsOf.get(agent.agentId) ?? 0) >= deps.maxConnectionsPerAgent) {
      early.length = 0;
      refuse(socket, `this agent has ${deps.maxConnectionsPerAgent} connections to this gateway already; close one, or try again later`, CLOSE_CODES.tryAgainLater);
      return;
    }
    const connection = createConnection(socket, tcp, agent, {
      ...deps,
      onRemoved: (agentId) => recheckLogged([agentId]),
      onTooSlow: () => {
        tooSlow += 1;
      },
    });
    agentOf.set(socket, agent.agentId);
    connectionsOf.set(agent.agentId, (connectionsOf.get(agent.agentId) ?? 0) + 1);
    const { agentId } = agent;
    deps.presenceOf.connected(agentId);
    const expiresInMs = agent.tokenExpiresAt * 1000 - deps.clock().getTime();
    const expiry = setTimeout(() => refuse(socket, 'token expired'), Math.min(Math.max(expiresInMs, 0), MAX_TIMER_MS));
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    socket.off('message', hold);
    socket.on('message', (data) => connection.handleText(textOf(data)));
    socket.on('close', () => {
      agentOf.delete(socket);
      const left = (connectionsOf.get(agentId) ?? 1) - 1;
      if (left > 0) connectionsOf.set(agentId, left);
      else connectionsOf.delete(agentId);
      clearTimeout(expiry);
      connection.dispose();
      deps.presenceOf.disconnected(agentId);
    });
    for (const text of early) connection.handleText(text);
    early.length = 0;
    socket.resume();
    deps.log.debug({ agentId: agent.agentId }, 'agent connected');
  }

  // Made once: an arrow created in the upgrade callback would keep that scope, and with it the
  // upgrade request, alive for the whole connection (~1.3 KiB a connection, seen in heap snapshots).
  const onSocketError = (error: Error): void => deps.log.debug({ err: error }, 'socket error');

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      refuseUpgrade(socket, '404 Not Found');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', onSocketError);
      // `clients` holds this one too: refused before its token is even read.
      if (wss.clients.size > deps.maxConnections) {
        refuse(ws, `this gateway holds ${deps.maxConnections} connections; try again later, preferably on another gateway`, CLOSE_CODES.tryAgainLater);
        return;
      }
      onConnection(ws, socket, req).catch((error: unknown) => {
        deps.log.error({ err: error }, 'connection setup failed');
        ws.terminate();
      });
    });
  }

  const keepalive = setInterval(() => {
    for (const socket of wss.clients) {
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, deps.pingIntervalMs);

  const rechecks = setInterval(() => recheckLogged([...agentOf.values()]), deps.authRecheckMs);

  return {
    handleUpgrade,
    connectionCount: () => wss.clients.size,
    tooSlowCount: () => tooSlow,
    async close() {
      clearInterval(keepalive);
      clearInterval(rechecks);
      const closed = [...wss.clients].map(
        (socket) =>
          new Promise<void>((resolve) => {
            const force = setTimeout(() => socket.terminate(), CLOSE_HANDSHAKE_MS);
            socket.once('close', () => {
              clearTimeout(force);
              resolve();
            });
            socket.close(CLOSE_CODES.goingAway, 'server shutting down');
          }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve, reject) => wss.close((error) => (error === undefined ? resolve() : reject(error))));
    },
  };
}
