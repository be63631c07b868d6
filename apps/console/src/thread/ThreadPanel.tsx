/** A thread beside the talk: the root, its replies oldest first, and a reply box. Esc closes it. */
import type { ReactNode } from 'react';
import type { Participant } from '@talk/shared/schemas';
import { describeFailure } from '../api/failure';
import panel from '../panel/SidePanel.module.css';
import controls from '../styles/controls.module.css';
import { Composer } from '../talk/Composer';
import { MessageItem } from '../talk/MessageItem';
import { useMessageActions, useThread } from '../talk/use-talk-messages';

export interface ThreadPanelProps {
  readonly talkId: string;
  readonly rootId: string;
  readonly talkActive: boolean;
  readonly participants: readonly Participant[];
  readonly onClose: () => void;
}

export function ThreadPanel({ talkId, rootId, talkActive, participants, onClose }: ThreadPanelProps): ReactNode {
  const thread = useThread(talkId, rootId);
  const actions = useMessageActions(talkId);
  const replies = thread.data?.replies ?? [];

  return (
    <aside className={panel.panel} aria-labelledby="thread-title">
      <header className={panel.head}>
        <h2 id="thread-title" className={panel.title}>
          Thread
        </h2>
        <button type="button" className={controls.quiet} onClick={onClose} aria-label="Close thread (Esc)">
          Close
        </button>
      </header>
      <div className={panel.scroll}>
        {thread.isPending && <p className={panel.count}>Loading thread…</p>}
        {thread.isError && (
          <p className={controls.error} role="alert">
            {describeFailure(thread.error)}
          </p>
        )}
        {thread.data !== undefined && (
          <>
            <MessageItem message={thread.data.root} actions={actions} talkActive={talkActive} />
            <p className={panel.count}>{replies.length === 1 ? '1 reply' : `${replies.length} replies`}</p>
            <ol className={panel.replies} aria-label="Replies">
              {replies.map((reply) => (
                <li key={reply.id}>
                  <MessageItem message={reply} actions={actions} talkActive={talkActive} />
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
      <Composer
        label="Reply in thread"
        participants={participants}
        closed={!talkActive}
        sending={actions.send.isPending}
        send={(draft) => actions.send.mutateAsync({ ...draft, parentId: rootId })}
      />
    </aside>
  );
}
