/**
 * A new group talk (a name and the agents in it) or a direct talk (one agent; the pair's existing
 * direct talk opens when there is one), the agents picked by name from the customer's.
 */
import { useEffect, useId, useRef, useState, type SyntheticEvent, type ReactNode } from 'react';
import { AgentPicker } from '../agents/AgentPicker';
import { describeFailure } from '../api/failure';
import controls from '../styles/controls.module.css';
import styles from './NewTalkDialog.module.css';
import { useCreateTalk } from './use-talks';

export function NewTalkDialog({ onClose, onCreated }: { readonly onClose: () => void; readonly onCreated: (talkId: string) => void }): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  const create = useCreateTalk();
  const [type, setType] = useState<'group' | 'direct'>('group');
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<readonly string[]>([]);
  const titleId = useId();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const first = picked[0];
  const ready = type === 'group' ? name.trim() !== '' || picked.length > 0 : first !== undefined;
  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (!ready) return;
    create.mutate(type === 'group' ? { type, name, agentIds: picked } : { type, agentId: first ?? '' }, { onSuccess: (talk) => onCreated(talk.id) });
  };

  return (
    <dialog ref={dialog} className={styles.dialog} aria-labelledby={titleId} onClose={onClose}>
      <form className={styles.form} onSubmit={submit}>
        <h2 id={titleId} className={styles.title}>
          New talk
        </h2>
        <fieldset className={styles.types}>
          <legend className="visually-hidden">Kind of talk</legend>
          {(['group', 'direct'] as const).map((kind) => (
            <label key={kind} className={type === kind ? styles.typeOn : styles.type}>
              <input
                type="radio"
                name="kind"
                value={kind}
                checked={type === kind}
                onChange={() => {
                  setType(kind);
                  setPicked((current) => (kind === 'direct' ? current.slice(0, 1) : current));
                }}
              />
              {kind === 'group' ? 'Group' : 'Direct'}
            </label>
          ))}
        </fieldset>
        {type === 'group' && (
          <label className={controls.field}>
            Name
            <input className={controls.input} value={name} onChange={(e) => setName(e.target.value)} maxLength={255} placeholder="e.g. Q1 Project" />
          </label>
        )}
        <AgentPicker
          legend={type === 'group' ? 'Agents' : 'Agent'}
          mode={type === 'group' ? 'many' : 'one'}
          picked={picked}
          onChange={setPicked}
        />
        {create.isError && (
          <p className={controls.error} role="alert">
            {describeFailure(create.error)}
          </p>
        )}
        <div className={styles.actions}>
          <button type="button" className={controls.quiet} onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className={controls.primary} disabled={!ready || create.isPending}>
            {type === 'group' ? 'Create group' : 'Open direct talk'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
