/** The agent's talks by latest activity, filtered by name; closed ones apart, below. */
import { useState, type ReactNode } from 'react';
import type { Talk } from '@talk/shared/schemas';
import { describeFailure } from '../api/failure';
import { useLiveTalkList } from '../live/live-updates';
import controls from '../styles/controls.module.css';
import styles from './TalkList.module.css';
import { talkName } from './talk-name';
import { useTalks } from './use-talks';

export function TalkList({ openTalkId, onOpen }: { readonly openTalkId: string | undefined; readonly onOpen: (talkId: string) => void }): ReactNode {
  const talks = useTalks();
  const [filter, setFilter] = useState('');
  useLiveTalkList(talks.data);

  const wanted = filter.trim().toLowerCase();
  const shown = (talks.data ?? []).filter((talk) => talkName(talk).toLowerCase().includes(wanted));
  const active = shown.filter((talk) => talk.status === 'active');
  const closed = shown.filter((talk) => talk.status === 'closed');
  const rows = (list: readonly Talk[], label: string): ReactNode => (
    <ul className={styles.list} aria-label={label}>
      {list.map((talk) => (
        <li key={talk.id}>
          <TalkRow talk={talk} open={talk.id === openTalkId} onOpen={onOpen} />
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

function TalkRow({ talk, open, onOpen }: { readonly talk: Talk; readonly open: boolean; readonly onOpen: (talkId: string) => void }): ReactNode {
  const unread = talk.unread_count ?? 0;
  const mentions = talk.unread_mention_count ?? 0;
  const when = talk.last_message_at ?? talk.tm_update;
  const description = [unread > 0 ? `${unread} unread` : '', mentions > 0 ? `${mentions} mentioning you` : ''].filter(Boolean).join(', ');
  return (
    <button type="button" className={open ? styles.rowOpen : styles.row} aria-current={open ? 'page' : undefined} onClick={() => onOpen(talk.id)}>
      <span className={styles.kind} aria-hidden="true">
        {talk.type === 'direct' ? '●' : '#'}
      </span>
      <span className={styles.text}>
        <span className={unread > 0 ? styles.nameUnread : styles.name}>{talkName(talk)}</span>
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
