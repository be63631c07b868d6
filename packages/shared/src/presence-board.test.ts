import { createPresenceBoard, type PresenceBoard } from './presence-board';

const A = 'agent-a';
const TIMEOUT = 20_000;

function board(): PresenceBoard {
  return createPresenceBoard({ timeoutMs: TIMEOUT, retentionMs: 3_600_000 });
}

describe('presence board', () => {
  it('is online while the agent has an entry on a live gateway, on any of several', () => {
    const b = board();
    b.apply({ kind: 'beat', gatewayId: 'g1', at: 1_000 }, 1_000);
    b.apply({ kind: 'beat', gatewayId: 'g2', at: 1_000 }, 1_000);
    expect(b.presenceOf(A)).toEqual({ status: 'offline', since: null });
    expect(b.apply({ kind: 'connection', agentId: A, gatewayId: 'g1', onlineSince: 1_100 }, 1_100)).toEqual([A]);
    b.apply({ kind: 'connection', agentId: A, gatewayId: 'g2', onlineSince: 1_100 }, 1_200);
    expect(b.presenceOf(A)).toEqual({ status: 'online', since: 1_100 });
    b.apply({ kind: 'connection-gone', agentId: A, gatewayId: 'g1', at: 1_300 }, 1_300);
    expect(b.presenceOf(A)).toEqual({ status: 'online', since: 1_100 });
    b.apply({ kind: 'connection-gone', agentId: A, gatewayId: 'g2', at: 1_400 }, 1_400);
    expect(b.presenceOf(A)).toEqual({ status: 'offline', since: 1_400 });
  });

  it("ages out a dead gateway's agents once its heartbeat is older than the timeout, and no sooner", () => {
    const b = board();
    b.apply({ kind: 'beat', gatewayId: 'g1', at: 0 }, 0);
    b.apply({ kind: 'connection', agentId: A, gatewayId: 'g1', onlineSince: 10 }, 10);
    b.apply({ kind: 'beat', gatewayId: 'g1', at: 5_000 }, 5_000);
    expect(b.sweep(5_000 + TIMEOUT - 1)).toEqual([]);
    expect(b.presenceOf(A).status).toBe('online');
    expect(b.sweep(5_000 + TIMEOUT)).toEqual([A]);
    expect(b.presenceOf(A)).toEqual({ status: 'offline', since: 5_000 + TIMEOUT });
    // A gateway that comes back (it was only paused) counts again with its entries.
    expect(b.apply({ kind: 'beat', gatewayId: 'g1', at: 40_000 }, 40_000)).toEqual([A]);
    expect(b.presenceOf(A)).toEqual({ status: 'online', since: 10 });
  });

  it('counts no entry of a gateway whose heartbeat it has not seen, or read already stale', () => {
    const b = board();
    b.apply({ kind: 'connection', agentId: A, gatewayId: 'g1', onlineSince: 0 }, 0);
    expect(b.presenceOf(A).status).toBe('offline');
    expect(b.apply({ kind: 'beat', gatewayId: 'g1', at: 0 }, TIMEOUT)).toEqual([]);
    expect(b.presenceOf(A).status).toBe('offline');
  });

  it('keeps the agent online across a gateway restart when it reconnects elsewhere within the grace', () => {
    const b = board();
    b.apply({ kind: 'beat', gatewayId: 'old', at: 0 }, 0);
    b.apply({ kind: 'beat', gatewayId: 'new', at: 0 }, 0);
    b.apply({ kind: 'connection', agentId: A, gatewayId: 'old', onlineSince: 100 }, 100);
    // The old gateway stops beating (graceful or not) and keeps its entry; the agent reconnects
    // to the new one, which carries the connected period over.
    b.apply({ kind: 'connection', agentId: A, gatewayId: 'new', onlineSince: b.onlineSince(A) ?? 2_000 }, 2_000);
    b.apply({ kind: 'beat', gatewayId: 'new', at: 15_000 }, 15_000);
    expect(b.sweep(TIMEOUT)).toEqual([A]);
    expect(b.presenceOf(A)).toEqual({ status: 'online', since: 100 });
  });

  it('is away while connected with a flag set during the connected period, and online again on a new first connection', () => {
    const b = board();
    b.apply({ kind: 'beat', gatewayId: 'g1', at: 0 }, 0);
    b.apply({ kind: 'beat', gatewayId: 'g2', at: 0 }, 0);
    b.apply({ kind: 'connection', agentId: A, gatewayId: 'g1', onlineSince: 100 }, 100);
    b.apply({ kind: 'flag', agentId: A, status: 'away', at: 200 }, 200);
    expect(b.presenceOf(A)).toEqual({ status: 'away', since: 200 });
    // A second connection, then the first one closing, keeps the period and the flag.
    b.apply({ kind: 'connection', agentId: A, gatewayId: 'g2', onlineSince: 100 }, 300);
    b.apply({ kind: 'connection-gone', agentId: A, gatewayId: 'g1', at: 400 }, 400);
    expect(b.presenceOf(A)).toEqual({ status: 'away', since: 200 });
    b.apply({ kind: 'connection-gone', agentId: A, gatewayId: 'g2', at: 500 }, 500);
    expect(b.presenceOf(A)).toEqual({ status: 'offline', since: 500 });
    // The flag is still in the bucket, but older than the new connected period.
    b.apply({ kind: 'connection', agentId: A, gatewayId: 'g1', onlineSince: 600 }, 600);
    expect(b.presenceOf(A)).toEqual({ status: 'online', since: 600 });
    b.apply({ kind: 'flag', agentId: A, status: 'away', at: 700 }, 700);
    b.apply({ kind: 'flag', agentId: A, status: 'online', at: 800 }, 800);
    expect(b.presenceOf(A)).toEqual({ status: 'online', since: 800 });
  });

  it('forgets dead gateways, their entries and offline agents after the retention', () => {
    const b = createPresenceBoard({ timeoutMs: TIMEOUT, retentionMs: 60_000 });
    b.apply({ kind: 'beat', gatewayId: 'g1', at: 0 }, 0);
    b.apply({ kind: 'connection', agentId: A, gatewayId: 'g1', onlineSince: 0 }, 0);
    b.apply({ kind: 'connection-gone', agentId: 'agent-b', gatewayId: 'g1', at: 0 }, 0);
    b.sweep(TIMEOUT);
    expect(b.size()).toEqual({ agents: 2, gateways: 1 });
    b.sweep(60_000);
    expect(b.size()).toEqual({ agents: 0, gateways: 0 });
    expect(b.presenceOf(A)).toEqual({ status: 'offline', since: null });
  });
});
