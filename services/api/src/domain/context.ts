import type { Logger } from '@talk/shared/logger';
import type { Clock } from '@talk/shared/time';
import type { ChangeRecorder } from '@talk/store/write-pipeline/recorder';
import type { Store } from '@talk/store/store';
import type { Caller } from './caller';

/** What every talk use case needs: the data layer, the recorder of changes, and the time. */
export interface TalkDeps {
  readonly store: Store;
  readonly recorder: ChangeRecorder;
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
