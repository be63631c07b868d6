import type { BenchServers } from './servers';

/** What every scenario is given. */
export interface BenchOptions {
  /** Smaller counts and fewer runs: the whole bench in under 2 minutes. */
  readonly quick: boolean;
  readonly servers: BenchServers;
}
