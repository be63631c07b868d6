/**
 * One message: author, time, text, media links, reactions, its thread's reply count, and for the
 * agent's own messages, edit and delete. System messages are a quiet line of their own.
 */
import { useState, type ReactNode } from 'react';
import type { Media, Message } from '@talk/shared/schemas';
import { useAgentDirectory } from '../agents/agent-directory';
import { describeFailure } from '../api/failure';
import controls from '../styles/controls.module.css';
import styles from './MessageItem.module.css';
import { Reactions } from './Reactions';
import type { useMessageActions } from './use-talk-messages';

export interface MessageItemProps {
  readonly message: Message;
  readonly actions: ReturnType<typeof useMessageActions>;
  /** Absent inside a thread panel, where the message is already the thread. */
  readonly onOpenThread?: (rootId: string) => void;
  readonly talkActive: boolean;
  /** Who has read up to this message of the agent's own and no later one of its own (read receipts). */
  readonly seenBy?: readonly string[] | undefined;
}

export function MessageItem({ message, actions, onOpenThread, talkActive, seenBy }: MessageItemProps): ReactNode {
  const { self, nameOf } = useAgentDirectory();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [failure, setFailure] = useState<string | undefined>(undefined);

  if (message.type === 'system') {
    return (
      <p className={styles.system}>
        <span>{message.text}</span> <time dateTime={message.tm_create}>{clock(message.tm_create)}</time>
      </p>
    );
  }
  const own = message.agent_id === self.id;
  const author = message.agent_id === null ? 'Unknown' : nameOf(message.agent_id);
  const mentionsMe = message.mention_ids.includes(self.id);
  const fail = (error: unknown): void => setFailure(describeFailure(error));

  return (
    <article className={mentionsMe ? styles.mentioned : own ? styles.own : styles.message} aria-label={`${author} at ${clock(message.tm_create)}`}>
      <span className={styles.avatar} aria-hidden="true" style={{ background: colourOf(message.agent_id ?? '') }}>
        {author.slice(0, 1).toUpperCase()}
      </span>
      <div className={styles.body}>
        <header className={styles.head}>
          <strong>{own ? `${author} (you)` : author}</strong>
          <time dateTime={message.tm_create}>{clock(message.tm_create)}</time>
          {message.edited && !message.deleted && <span className={styles.edited}>edited</span>}
        </header>
        {message.deleted ? (
          <p className={styles.deleted}>This message was deleted.</p>
        ) : editing ? (
          <EditBox
            initial={message.text}
            saving={actions.edit.isPending}
            onCancel={() => setEditing(false)}
            onSave={(text) =>
              actions.edit.mutate(
                { id: message.id, text },
                {
                  onSuccess: () => {
                    setEditing(false);
                    setFailure(undefined);
                  },
                  onError: fail,
                },
              )
            }
          />
        ) : (
          message.text !== '' && <p className={styles.text}>{message.text}</p>
        )}
        {!message.deleted && message.medias.length > 0 && (
          <ul className={styles.medias} aria-label="Attachments">
            {message.medias.map((media) => (
              <li key={media.url}>
                <MediaLink media={media} />
              </li>
            ))}
          </ul>
        )}
        {!message.deleted && (
          <Reactions
            message={message}
            enabled={talkActive}
            onToggle={(emoji, on) => actions.react.mutate({ id: message.id, emoji, on }, { onSuccess: () => setFailure(undefined), onError: fail })}
          />
        )}
        {onOpenThread !== undefined && message.reply_count > 0 && (
          <button type="button" className={styles.replies} onClick={() => onOpenThread(message.id)}>
            {message.reply_count === 1 ? '1 reply' : `${message.reply_count} replies`}
          </button>
        )}
        {own && seenBy !== undefined && seenBy.length > 0 && <p className={styles.seen}>Seen by {seenBy.join(', ')}</p>}
        {failure !== undefined && (
          <p className={controls.error} role="alert">
            {failure}
          </p>
        )}
      </div>
      {!message.deleted && !editing && (
        <div className={styles.tools} role="group" aria-label="Message actions">
          {onOpenThread !== undefined && talkActive && (
            <button type="button" className={controls.quiet} onClick={() => onOpenThread(message.id)}>
              Reply in thread
            </button>
          )}
          {own && talkActive && (
            <button type="button" className={controls.quiet} onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          {own &&
            (confirmDelete ? (
              <>
                <button
                  type="button"
                  className={controls.danger}
                  onClick={() => actions.remove.mutate(message.id, { onSuccess: () => setConfirmDelete(false), onError: fail })}
                >
                  Delete for everyone
                </button>
                <button type="button" className={controls.quiet} onClick={() => setConfirmDelete(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button type="button" className={controls.quiet} onClick={() => setConfirmDelete(true)}>
                Delete
              </button>
            ))}
        </div>
      )}
    </article>
  );
}

function EditBox({ initial, saving, onSave, onCancel }: { readonly initial: string; readonly saving: boolean; readonly onSave: (text: string) => void; readonly onCancel: () => void }): ReactNode {
  const [text, setText] = useState(initial);
  return (
    <div className={styles.edit}>
      <label className="visually-hidden" htmlFor="edit-message">
        Edit message
      </label>
      <textarea
        id="edit-message"
        className={controls.input}
        value={text}
        rows={Math.min(6, text.split('\n').length + 1)}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            if (text.trim() !== '') onSave(text);
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          }
        }}
        autoFocus
      />
      <div className={styles.editActions}>
        <button type="button" className={controls.quiet} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className={controls.primary} disabled={saving || text.trim() === ''} onClick={() => onSave(text)}>
          Save
        </button>
      </div>
    </div>
  );
}

/** A link with the file's name and type; an image is shown inline only when it is image/* over https:. */
function MediaLink({ media }: { readonly media: Media }): ReactNode {
  const inline = media.type.toLowerCase().startsWith('image/') && media.url.startsWith('https:');
  return (
    <a className={styles.media} href={media.url} target="_blank" rel="noopener noreferrer nofollow">
      {inline && <img className={styles.image} src={media.url} alt={media.name} loading="lazy" referrerPolicy="no-referrer" />}
      <span className={styles.mediaName}>{media.name}</span>
      <span className={styles.mediaType}>{media.type}</span>
    </a>
  );
}

const clock = (iso: string): string => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

const PALETTE = ['#3b5bdb', '#0c8599', '#5f3dc4', '#2b8a3e', '#c2410c', '#a61e4d', '#1864ab', '#5c940d'];
function colourOf(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? '#3b5bdb';
}
