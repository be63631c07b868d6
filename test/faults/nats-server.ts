/**
 * A nats-server of the fault topology's own, with JetStream, that a test may kill and restart:
 * the shared test server cannot be restarted under the other test files' feet.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { eventually } from '@talk/shared/testing/eventually';
import { watchChild, type WatchedChild } from '../support/watched-child';

/** Where scripts/dev-servers.sh finds it: PATH, then Debian's /usr/sbin. */
export const natsServerBinary: string | undefined = [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin']
  .filter((dir) => dir !== '')
  .map((dir) => join(dir, 'nats-server'))
  .find((path) => existsSync(path));

function acceptsConnections(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/**
 * Starts nats-server on 127.0.0.1:`port` with its JetStream store in `storeDir` (a restart with
 * the same folder finds its streams and consumers again), and resolves once the port accepts
 * connections. nats-server enables JetStream, recovering the store, before it accepts clients.
 */
export async function spawnNatsServer(port: number, storeDir: string, timeoutMs: number): Promise<WatchedChild> {
  if (natsServerBinary === undefined) throw new Error('nats-server is not installed (Debian: apt-get install nats-server)');
  const child = spawn(natsServerBinary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = watchChild(child);
  try {
    await eventually(
      async () => {
        if (!server.alive()) return;
        await acceptsConnections(port);
      },
      timeoutMs,
      50,
    );
  } catch (error) {
    server.signal('SIGKILL');
    await server.exited;
    throw new Error(`nats-server did not accept connections on port ${port} within ${timeoutMs} ms:\n${server.output()}`, { cause: error });
  }
  if (!server.alive()) throw new Error(`nats-server exited before it accepted connections on port ${port}:\n${server.output()}`);
  return server;
}
