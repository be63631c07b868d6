/**
 * What the socket client needs of one WebSocket connection, whatever gives it: the `ws` package in
 * Node.js (ws-connection.ts), the browser's own WebSocket (browser-connection.ts). The client
 * dials one per attempt and is told what happens to it.
 */
export interface ConnectionEvents {
  onOpen(): void;
  /** One text frame. */
  onMessage(text: string): void;
  /** Always last, once, also for an attempt that never opened (1006: no close frame). */
  onClose(code: number): void;
}

export interface Connection {
  readonly state: 'connecting' | 'open' | 'closing' | 'closed';
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Drops the connection at once, without a closing handshake (a silent peer, a stuck upgrade). */
  terminate(): void;
  /** Stops reading from the network, where the transport can (a browser cannot: then nothing happens). */
  pause(): void;
  resume(): void;
}

export interface DialOptions {
  /** How long the upgrade may take before the attempt is dropped. */
  readonly handshakeTimeoutMs: number;
}

export type Dial = (url: string, events: ConnectionEvents, options: DialOptions) => Connection;
