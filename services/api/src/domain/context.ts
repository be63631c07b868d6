import type { Logger } from '@talk/shared/logger';
import type { Clock } from '@talk/shared/time';
import type { Caller } from './caller';
import type { AgentDirectory, MessageDirectory, PairClaimLog, ReadNotices, ReadStateDirectory, TalkDirectory, TalkLog, TalkRecorder } from './ports';

/** What every talk use case needs: the projections it reads, the talks' logs, the recorder of changes, and the time. */
export interface TalkDeps {
  readonly talks: TalkDirectory;
  readonly agents: AgentDirectory;
  readonly messages: MessageDirectory;
  readonly events: TalkLog;
  readonly pairClaims: PairClaimLog;
  readonly recorder: TalkRecorder;
  readonly readStates: ReadStateDirectory;
  readonly readNotices: ReadNotices;
  readonly clock: Clock;
}

/** Where to log and trace a change. */
export interface RecordingContext {
  readonly log: Logger;
  readonly requestId: string;
}

/** Who asks, and where to log and trace it. */
export interface RequestContext extends RecordingContext {
  readonly caller: Caller;
}
