/**
 * Writes a message: Enter sends, Shift+Enter starts a new line, `@` offers the talk's participants
 * and sends the picked ones as mention_ids. A send that fails keeps the text and says why beside
 * the box (a closed talk, too many messages too fast, …).
 */
import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { Participant } from '@talk/shared/schemas';
import { useAgentDirectory } from '../agents/agent-directory';
import { describeFailure } from '../api/failure';
import { TalkApiError } from '@talk/client/errors';
import controls from '../styles/controls.module.css';
import styles from './Composer.module.css';
import type { Draft } from './use-talk-messages';

export interface ComposerProps {
  readonly label: string;
  readonly participants: readonly Participant[];
  readonly closed: boolean;
  readonly sending: boolean;
  readonly send: (draft: Draft) => Promise<unknown>;
  /** Each change of the text (typing frames go out from here). */
  readonly onKeystroke?: () => void;
}

interface Mentioning {
  readonly start: number;
  readonly query: string;
}

export function Composer({ label, participants, closed, sending, send, onKeystroke }: ComposerProps): ReactNode {
  const { self, nameOf } = useAgentDirectory();
  const [text, setText] = useState('');
  const [mentioned, setMentioned] = useState<readonly { id: string; name: string }[]>([]);
  const [mentioning, setMentioning] = useState<Mentioning | undefined>(undefined);
  const [highlight, setHighlight] = useState(0);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const box = useRef<HTMLTextAreaElement>(null);
  const inputId = useId();
  const listId = useId();
  const problemId = useId();
  const caretAfterRender = useRef<number | undefined>(undefined);

  const candidates = mentioning === undefined
    ? []
    : participants
        .filter((p) => p.agent_id !== self.id)
        .map((p) => ({ id: p.agent_id, name: nameOf(p.agent_id) }))
        .filter((c) => c.name.toLowerCase().includes(mentioning.query.toLowerCase()))
        .slice(0, 8);

  const follow = (value: string, caret: number): void => {
    setText(value);
    const before = value.slice(0, caret);
    const at = /(^|\s)@([^\s@]{0,40})$/.exec(before);
    setMentioning(at === null ? undefined : { start: caret - (at[2]?.length ?? 0) - 1, query: at[2] ?? '' });
    setHighlight(0);
  };

  const pick = (candidate: { id: string; name: string }): void => {
    if (mentioning === undefined) return;
    const caret = box.current?.selectionStart ?? text.length;
    const next = `${text.slice(0, mentioning.start)}@${candidate.name} ${text.slice(caret)}`;
    setText(next);
    setMentioned((current) => (current.some((m) => m.id === candidate.id) ? current : [...current, candidate]));
    setMentioning(undefined);
    caretAfterRender.current = mentioning.start + candidate.name.length + 2;
  };
  // The caret goes after the picked name as soon as the new text is in the box, before the next key.
  useLayoutEffect(() => {
    const at = caretAfterRender.current;
    if (at === undefined) return;
    caretAfterRender.current = undefined;
    box.current?.setSelectionRange(at, at);
  }, [text]);

  const submit = (): void => {
    if (text.trim() === '' || sending) return;
    const mentionIds = mentioned.filter((m) => text.includes(`@${m.name}`)).map((m) => m.id);
    send({ text, mentionIds }).then(
      () => {
        setText('');
        setMentioned([]);
        setFailure(undefined);
      },
      (error: unknown) => setFailure(sendFailure(error)),
    );
  };

  return (
    <div className={styles.composer}>
      {closed && <p className={controls.notice}>This talk is closed. Reopen it to write here.</p>}
      {failure !== undefined && (
        <p id={problemId} className={controls.error} role="alert">
          {failure}
        </p>
      )}
      {candidates.length > 0 && (
        <ul id={listId} className={styles.suggestions} role="listbox" aria-label="Mention someone">
          {candidates.map((candidate, index) => (
            <li
              key={candidate.id}
              role="option"
              aria-selected={index === highlight}
              className={index === highlight ? styles.suggestionOn : styles.suggestion}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(candidate);
              }}
            >
              @{candidate.name}
            </li>
          ))}
        </ul>
      )}
      <div className={styles.row}>
        <label htmlFor={inputId} className="visually-hidden">
          {label}
        </label>
        <textarea
          id={inputId}
          ref={box}
          className={styles.box}
          value={text}
          rows={Math.min(8, Math.max(1, text.split('\n').length))}
          placeholder={closed ? 'This talk is closed' : `${label}…`}
          disabled={closed}
          aria-describedby={failure === undefined ? undefined : problemId}
          aria-controls={candidates.length > 0 ? listId : undefined}
          onChange={(e) => {
            follow(e.target.value, e.target.selectionStart);
            if (e.target.value !== '') onKeystroke?.();
          }}
          onKeyDown={(e) => {
            if (candidates.length > 0) {
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                setHighlight((current) => (current + (e.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length);
                return;
              }
              if (e.key === 'Enter' || e.key === 'Tab') {
                const chosen = candidates[highlight];
                if (chosen !== undefined) {
                  e.preventDefault();
                  pick(chosen);
                  return;
                }
              }
              if (e.key === 'Escape') {
                e.stopPropagation();
                setMentioning(undefined);
                return;
              }
            }
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="button" className={controls.primary} onClick={submit} disabled={closed || sending || text.trim() === ''}>
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
      <p className={styles.hint} aria-hidden="true">
        Enter sends · Shift+Enter new line · @ mentions
      </p>
    </div>
  );
}

/** Why a send failed, said so that the agent knows what to do; the text stays in the box. */
function sendFailure(error: unknown): string {
  if (error instanceof TalkApiError && error.status === 409) return 'Not sent: this talk is closed. Your text is kept; reopen the talk to send it.';
  if (error instanceof TalkApiError && error.status === 429) return 'Not sent: you are sending too fast. Your text is kept; wait a moment and press Enter again.';
  return `Not sent. ${describeFailure(error)} Your text is kept.`;
}
