/**
 * One lane per talk in this process: the decisions on a talk that this process makes run one after
 * the other, each starting from the state the one before it left, and their follow-up work (saving
 * the snapshot, projecting) runs in the same order, beside the next decision. So writers of one
 * process never race each other for a talk's next seq (event-log.ts `decide`); they meet only the
 * writers of other processes, whom the unique (talk_id, seq) index still orders. A lane exists
 * while work of its talk is waiting or running, so the lanes are bounded by the requests in flight.
 */
import type { TalkState } from '@talk/decisions/talk-state';

export interface LaneTurn<T> {
  /** The decision's outcome, once recorded. */
  readonly result: T;
  /** The state the decision left: the end of the log as this process knows it. Null if unknown. */
  readonly state: TalkState | null;
  /** Work to run after the turns before it finished theirs (in the lane's order), beside later decisions. */
  readonly followUp: () => Promise<void>;
}

export interface TalkLanes {
  /**
   * Runs `decide` once every earlier decision on the talk in this process is done, with the state
   * the previous one left (null when none did), then its follow-up after theirs. Resolves with the
   * result once the follow-up is done.
   */
  run<T>(talkId: string, decide: (carried: TalkState | null) => Promise<LaneTurn<T>>): Promise<T>;
  /** Talks with work waiting or running: what the lanes hold. */
  readonly size: number;
}

interface Lane {
  decided: Promise<void>;
  followedUp: Promise<void>;
  state: TalkState | null;
  inFlight: number;
}

const settled = (promise: Promise<unknown>): Promise<void> => promise.then(
  () => undefined,
  () => undefined,
);

export function createTalkLanes(): TalkLanes {
  const lanes = new Map<string, Lane>();

  return {
    get size() {
      return lanes.size;
    },
    async run(talkId, decide) {
      let lane = lanes.get(talkId);
      if (lane === undefined) {
        lane = { decided: Promise.resolve(), followedUp: Promise.resolve(), state: null, inFlight: 0 };
        lanes.set(talkId, lane);
      }
      const own = lane;
      own.inFlight += 1;
      try {
        const turn = own.decided.then(async () => {
          try {
            const decided = await decide(own.state);
            own.state = decided.state;
            return decided;
          } catch (error) {
            own.state = null; // what the log holds is unknown after a failure
            throw error;
          }
        });
        own.decided = settled(turn);
        const followedUp = Promise.all([turn, own.followedUp]).then(async ([decided]) => {
          await decided.followUp();
          return decided.result;
        });
        own.followedUp = settled(followedUp);
        return await followedUp;
      } finally {
        own.inFlight -= 1;
        if (own.inFlight === 0 && lanes.get(talkId) === own) lanes.delete(talkId);
      }
    },
  };
}
