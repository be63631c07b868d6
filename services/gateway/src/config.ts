import { z } from 'zod';
import { commonConfig, commonEnv, parseEnv, port, type CommonConfig, type Env } from '@talk/shared/config';
import { presenceConfig, presenceEnv, refusePresenceTimeoutBelowHeartbeats, type PresenceConfig } from '@talk/shared/presence-config';
import { jwtSecret, refusePublishedSecrets } from '@talk/shared/secrets';

export interface GatewayConfig extends CommonConfig {
  readonly port: number;
  readonly jwtSecret: string;
  readonly ws: {
    /** Subscriptions one connection may hold at once. */
    readonly maxSubscriptions: number;
    /** Bytes queued for one client before it is closed with 4008 (too slow). */
    readonly maxBufferedBytes: number;
    /**
     * Events read from the log per page of an `after_seq` replay. A replay of any length goes on
     * page after page until it reaches live delivery; this only bounds one read and its memory.
     */
    readonly replayPageEvents: number;
    /** `after_seq` replays reading the event log at once in the process; more wait their turn. */
    readonly maxReplays: number;
    /** Frames a connection may send per second, beyond a burst of its subscription cap. */
    readonly framesPerSecond: number;
    /** Connections the process holds at most, signed in or not (1013 past it). */
    readonly maxConnections: number;
    /** Signed-in connections per agent to the process (1013 past it). */
    readonly maxConnectionsPerAgent: number;
    /** How often the server pings; a client that misses a whole interval is dropped. */
    readonly pingIntervalMs: number;
    /** How often connected agents' status is checked again, to close deactivated ones with 4001. */
    readonly authRecheckMs: number;
  };
  /** Heartbeats and ageing out of the presence bucket (docs/architecture.md, Presence). */
  readonly presence: PresenceConfig;
}

const GatewayEnv = z
  .object({
    ...commonEnv,
    PORT: port(3001),
    JWT_SECRET: jwtSecret('the same value as the API'),
    WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(100_000).default(1_000),
    WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(64 * 1024).default(4 * 1024 * 1024),
    WS_REPLAY_PAGE_EVENTS: z.coerce.number().int().min(1).max(10_000).default(500),
    WS_MAX_REPLAYS: z.coerce.number().int().min(1).max(10_000).default(64),
    WS_FRAMES_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
    WS_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
    WS_MAX_CONNECTIONS_PER_AGENT: z.coerce.number().int().min(1).max(10_000).default(20),
    WS_PING_INTERVAL_MS: z.coerce.number().int().min(1_000).default(30_000),
    WS_AUTH_RECHECK_MS: z.coerce.number().int().min(100).default(30_000),
    ...presenceEnv,
  })
  .superRefine(refusePublishedSecrets(['JWT_SECRET']))
  .superRefine(refusePresenceTimeoutBelowHeartbeats)
  .transform(
    (env): GatewayConfig => ({
      ...commonConfig(env),
      port: env.PORT,
      jwtSecret: env.JWT_SECRET,
      ws: {
        maxSubscriptions: env.WS_MAX_SUBSCRIPTIONS,
        maxBufferedBytes: env.WS_MAX_BUFFERED_BYTES,
        replayPageEvents: env.WS_REPLAY_PAGE_EVENTS,
        maxReplays: env.WS_MAX_REPLAYS,
        framesPerSecond: env.WS_FRAMES_PER_SECOND,
        maxConnections: env.WS_MAX_CONNECTIONS,
        maxConnectionsPerAgent: env.WS_MAX_CONNECTIONS_PER_AGENT,
        pingIntervalMs: env.WS_PING_INTERVAL_MS,
        authRecheckMs: env.WS_AUTH_RECHECK_MS,
      },
      presence: presenceConfig(env),
    }),
  );

export const loadGatewayConfig = (env: Env): GatewayConfig => parseEnv(GatewayEnv, env);
