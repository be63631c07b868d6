/**
 * The agent's talks by latest activity, filtered by name; closed ones apart, below. A direct talk
 * is called after the other agent and shows whether that agent is online.
 */
import { useRef, useState, type ReactNode } from 'react';
import type { Talk } from '@talk/shared/schemas';
import { useAgentDirectory } from '../agents/agent-directory';
import { describeFailure } from '../api/failure';
import { useLiveTalkList } from '../live/live-updates';
import { PresenceDot } from '../live/PresenceDot';
import { useOnScreen } from '../platform/use-on-screen';
import controls from '../styles/controls.module.css';
import styles from './TalkList.module.css';
import { talkName } from './talk-name';
import { useDirectPeers } from './use-direct-peers';
import { useTalks } from './use-talks';

export function TalkList({ openTalkId, onOpen }: { readonly openTalkId: string | undefined; readonly onOpen: (talkId: string) => void }): ReactNode {
  const talks = useTalks();
  const { nameOf } = useAgentDirectory();
  const peers = useDirectPeers(talks.data ?? []);
  const [filter, setFilter] = useState('');
  useLiveTalkList(talks.data);

  const titled = (talks.data ?? []).map((talk) => {
    const peerId = peers.peerOf(talk);
    return { talk, peerId, title: talkName(talk, peerId === undefined ? undefined : nameOf(peerId)) };
  });
  const wanted = filter.trim().toLowerCase();
  const shown = titled.filter(({ title }) => title.toLowerCase().includes(wanted));
  const active = shown.filter(({ talk }) => talk.status === 'active');
  const closed = shown.filter(({ talk }) => talk.status === 'closed');
  const rows = (list: readonly TitledTalk[], label: string): ReactNode => (
    <ul className={styles.list} aria-label={label}>
      {list.map((row) => (
        <li key={row.talk.id}>
          <TalkRow {...row} open={row.talk.id === openTalkId} onOpen={onOpen} onSeen={peers.seen} />
        </li>
      ))}
    </ul>
  );

  return (
    <section className={styles.panel}>
      <label className={controls.field}>
        <span className="visually-hidden">Filter talks by name</span>
        <input className={controls.input} type="search" placeholder="Filter by name" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </label>
      {talks.isPending && <p className={styles.quiet}>Loading talks…</p>}
      {talks.isError && (
        <p className={controls.error} role="alert">
          {describeFailure(talks.error)}
        </p>
      )}
      {talks.isSuccess && shown.length === 0 && <p className={styles.quiet}>{wanted === '' ? 'No talks yet.' : 'No talk has that name.'}</p>}
      <div className={styles.scroll}>
        {rows(active, 'Active talks')}
        {closed.length > 0 && (
          <details className={styles.closed}>
            <summary>Closed ({closed.length})</summary>
            {rows(closed, 'Closed talks')}
          </details>
        )}
      </div>
    </section>
  );
}

interface TitledTalk {
  readonly talk: Talk;
  readonly title: string;
  /** The other agent of a direct talk, once known. */
  readonly peerId: string | undefined;
}

interface TalkRowProps extends TitledTalk {
  readonly open: boolean;
  readonly onOpen: (talkId: string) => void;
  readonly onSeen: (talkId: string) => void;
}

function TalkRow({ talk, title, peerId, open, onOpen, onSeen }: TalkRowProps): ReactNode {
  const row = useRef<HTMLButtonElement>(null);
  useOnScreen(row, () => onSeen(talk.id));
  const unread = talk.unread_count ?? 0;
  const mentions = talk.unread_mention_count ?? 0;
  const when = talk.last_message_at ?? talk.tm_update;
  const description = [unread > 0 ? `${unread} unread` : '', mentions > 0 ? `${mentions} mentioning you` : ''].filter(Boolean).join(', ');
  return (
    <button ref={row} type="button" className={open ? styles.rowOpen : styles.row} aria-current={open ? 'page' : undefined} onClick={() => onOpen(talk.id)}>
      {peerId === undefined ? (
        <span className={styles.kind} aria-hidden="true">
          {talk.type === 'direct' ? '@' : '#'}
        </span>
      ) : (
        <span className={styles.kind}>
          <PresenceDot agentId={peerId} name={title} />
        </span>
      )}
      <span className={styles.text}>
        <span className={unread > 0 ? styles.nameUnread : styles.name}>{title}</span>
        <span className={styles.meta}>
          {talk.type === 'direct' ? 'Direct' : `${talk.participant_count} people`} · <time dateTime={when}>{shortTime(when)}</time>
        </span>
      </span>
      {description !== '' && <span className="visually-hidden">{description}</span>}
      {mentions > 0 && (
        <span className={styles.mention} aria-hidden="true">
          @{mentions}
        </span>
      )}
      {unread > 0 && (
        <span className={styles.unread} aria-hidden="true">
          {unread}
        </span>
      )}
    </button>
  );
}

function shortTime(iso: string): string {
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  return today ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : at.toLocaleDateString([], { month: 'short', day: 'numeric' });
}
