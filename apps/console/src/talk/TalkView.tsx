/** An open talk: its header, messages, composer, and a side panel for a thread or the talk's details. */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { describeFailure } from '../api/failure';
import { useLiveTalk, useSendTyping } from '../live/live-updates';
import { PresenceDot } from '../live/PresenceDot';
import { TypingLine } from '../live/TypingLine';
import { useAgentDirectory } from '../agents/agent-directory';
import controls from '../styles/controls.module.css';
import { ThreadPanel } from '../thread/ThreadPanel';
import { talkName } from '../talks/talk-name';
import { directPeer } from '../talks/use-direct-peers';
import { useTalk } from '../talks/use-talks';
import { Composer } from './Composer';
import { DetailsPanel } from './DetailsPanel';
import { MessageItem } from './MessageItem';
import { MessageList } from './MessageList';
import styles from './TalkView.module.css';
import { useMarkRead } from './use-mark-read';
import { seenBy } from './seen-by';
import { useMessageActions, useParticipants, useTalkMessages } from './use-talk-messages';

type Side = { readonly kind: 'thread'; readonly rootId: string } | { readonly kind: 'details' } | undefined;

export function TalkView({ talkId, onLeft }: { readonly talkId: string; readonly onLeft: () => void }): ReactNode {
  const talk = useTalk(talkId);
  const messages = useTalkMessages(talkId);
  const participants = useParticipants(talkId);
  const actions = useMessageActions(talkId);
  const [side, setSide] = useState<Side>(undefined);
  const [atBottom, setAtBottom] = useState(true);

  const newestSeq = messages.messages.at(-1)?.seq;
  useLiveTalk(talkId);
  const typing = useSendTyping(talkId);
  const { self, nameOf } = useAgentDirectory();
  const readers = useMemo(() => seenBy(messages.messages, participants.active, self.id), [messages.messages, participants.active, self.id]);
  const peerId = talk.data === undefined ? undefined : directPeer(talk.data, self.id, participants.data);
  const title = talk.data === undefined ? undefined : talkName(talk.data, peerId === undefined ? undefined : nameOf(peerId));
  useMarkRead(talkId, newestSeq, atBottom, talk.data?.last_read_seq);

  useEffect(() => {
    const close = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && side !== undefined) setSide(undefined);
    };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [side]);

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = messages;
  const loadOlder = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const openThread = useCallback((rootId: string) => setSide({ kind: 'thread', rootId }), []);

  if (talk.isError) {
    return (
      <section className={styles.view}>
        <p className={controls.error} role="alert">
          {describeFailure(talk.error)}
        </p>
      </section>
    );
  }
  const active = talk.data?.status === 'active';

  return (
    <div className={styles.layout}>
      <section className={styles.view} aria-labelledby="talk-title">
        <header className={styles.header}>
          <div className={styles.titles}>
            <h1 id="talk-title" className={styles.title}>
              {title ?? 'Loading…'}
            </h1>
            {talk.data !== undefined && (
              <p className={styles.sub}>
                {peerId !== undefined && <PresenceDot agentId={peerId} name={nameOf(peerId)} />}
                {talk.data.type === 'direct' ? 'Direct talk' : 'Group talk'} · {participants.active.length} active
                {talk.data.status === 'closed' && <span className={styles.closedTag}>Closed</span>}
              </p>
            )}
          </div>
          <button
            type="button"
            className={controls.button}
            aria-expanded={side?.kind === 'details'}
            onClick={() => setSide(side?.kind === 'details' ? undefined : { kind: 'details' })}
          >
            Details
          </button>
        </header>
        {messages.isError && (
          <p className={controls.error} role="alert">
            {describeFailure(messages.error)}
          </p>
        )}
        {messages.isPending ? (
          <p className={styles.loading}>Loading messages…</p>
        ) : messages.messages.length === 0 ? (
          <p className={styles.empty}>No messages yet. Say hello.</p>
        ) : (
          <MessageList
            messages={messages.messages}
            hasOlder={hasNextPage}
            loadingOlder={isFetchingNextPage}
            loadOlder={loadOlder}
            onAtBottom={setAtBottom}
            renderMessage={(message) => (
              <MessageItem message={message} actions={actions} onOpenThread={openThread} talkActive={active} seenBy={readers.get(message.id)?.map(nameOf)} />
            )}
          />
        )}
        <TypingLine talkId={talkId} />
        <Composer
          label={title === undefined ? 'Message' : `Message ${title}`}
          participants={participants.active}
          closed={talk.data?.status === 'closed'}
          sending={actions.send.isPending}
          send={(draft) => actions.send.mutateAsync(draft)}
          onKeystroke={typing}
        />
      </section>
      {side?.kind === 'thread' && <ThreadPanel talkId={talkId} rootId={side.rootId} talkActive={active} participants={participants.active} onClose={() => setSide(undefined)} />}
      {side?.kind === 'details' && talk.data !== undefined && (
        <DetailsPanel talk={talk.data} participants={participants.data ?? []} onClose={() => setSide(undefined)} onLeft={onLeft} />
      )}
    </div>
  );
}
