/**
 * A message's reactions: each emoji with its count and who reacted (the first ones the API lists),
 * pressed when the agent is among them; a picker of common emoji plus free entry adds one.
 */
import { useId, useState, type SyntheticEvent, type ReactNode } from 'react';
import { Emoji, type Message } from '@talk/shared/schemas';
import { useAgentDirectory } from '../agents/agent-directory';
import controls from '../styles/controls.module.css';
import styles from './Reactions.module.css';

export const COMMON_EMOJI = ['👍', '❤️', '😂', '🎉', '👀', '🙏', '✅', '🔥'] as const;

export function Reactions({ message, enabled, onToggle }: { readonly message: Message; readonly enabled: boolean; readonly onToggle: (emoji: string, on: boolean) => void }): ReactNode {
  const { self, nameOf } = useAgentDirectory();
  const [picking, setPicking] = useState(false);
  if (message.reactions.length === 0 && !enabled) return null;

  return (
    <div className={message.reactions.length === 0 ? styles.barEmpty : styles.bar}>
      <ul className={styles.list} aria-label="Reactions">
        {message.reactions.map((reaction) => {
          const mine = reaction.agent_ids.includes(self.id);
          const who = reaction.agent_ids.map((id) => (id === self.id ? 'you' : nameOf(id)));
          const more = reaction.count - reaction.agent_ids.length;
          const names = `${who.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
          return (
            <li key={reaction.emoji}>
              <button
                type="button"
                className={mine ? styles.mine : styles.reaction}
                aria-pressed={mine}
                aria-label={`${reaction.emoji} ${reaction.count}: ${names}`}
                title={names}
                disabled={!enabled}
                onClick={() => onToggle(reaction.emoji, !mine)}
              >
                <span aria-hidden="true">{reaction.emoji}</span>
                <span aria-hidden="true" className={styles.count}>
                  {reaction.count}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {enabled && (
        <button type="button" className={styles.add} aria-expanded={picking} onClick={() => setPicking(!picking)} aria-label="Add a reaction">
          <span aria-hidden="true">☺+</span>
        </button>
      )}
      {picking && (
        <Picker
          onPick={(emoji) => {
            setPicking(false);
            onToggle(emoji, true);
          }}
          onClose={() => setPicking(false)}
        />
      )}
    </div>
  );
}

function Picker({ onPick, onClose }: { readonly onPick: (emoji: string) => void; readonly onClose: () => void }): ReactNode {
  const [typed, setTyped] = useState('');
  const inputId = useId();
  const valid = Emoji.safeParse(typed.trim()).success;
  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (valid) onPick(typed.trim());
  };
  return (
    <div
      className={styles.picker}
      role="group"
      aria-label="Pick a reaction"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className={styles.common}>
        {COMMON_EMOJI.map((emoji) => (
          <button key={emoji} type="button" className={styles.choice} onClick={() => onPick(emoji)} aria-label={`React with ${emoji}`}>
            {emoji}
          </button>
        ))}
      </div>
      <form className={styles.free} onSubmit={submit}>
        <label htmlFor={inputId} className="visually-hidden">
          Any emoji or short name
        </label>
        <input id={inputId} className={controls.input} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="Any emoji or short name" autoFocus />
        <button type="submit" className={controls.button} disabled={!valid}>
          React
        </button>
      </form>
    </div>
  );
}
