/**
 * A new group talk (a name and the agents in it) or a direct talk (one agent; the pair's existing
 * direct talk opens when there is one). Agents are picked from those met in earlier talks, or
 * added by id: an agent's token cannot list the customer's agents (see agents/agent-directory).
 */
import { useEffect, useId, useRef, useState, type SyntheticEvent, type ReactNode } from 'react';
import { useAgentDirectory } from '../agents/agent-directory';
import { describeFailure } from '../api/failure';
import controls from '../styles/controls.module.css';
import styles from './NewTalkDialog.module.css';
import { useCreateTalk } from './use-talks';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function NewTalkDialog({ onClose, onCreated }: { readonly onClose: () => void; readonly onCreated: (talkId: string) => void }): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  const directory = useAgentDirectory();
  const create = useCreateTalk();
  const [type, setType] = useState<'group' | 'direct'>('group');
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<readonly string[]>([]);
  const [typedId, setTypedId] = useState('');
  const titleId = useId();

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const addTyped = (): void => {
    const id = typedId.trim().toLowerCase();
    if (!UUID.test(id) || id === directory.self.id) return;
    directory.remember([id]);
    setPicked((current) => (type === 'direct' ? [id] : current.includes(id) ? current : [...current, id]));
    setTypedId('');
  };
  const toggle = (id: string): void =>
    setPicked((current) => (type === 'direct' ? [id] : current.includes(id) ? current.filter((other) => other !== id) : [...current, id]));

  const first = picked[0];
  const ready = type === 'group' ? name.trim() !== '' || picked.length > 0 : first !== undefined;
  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (!ready) return;
    create.mutate(type === 'group' ? { type, name, agentIds: picked } : { type, agentId: first ?? '' }, { onSuccess: (talk) => onCreated(talk.id) });
  };
  const typedProblem = typedId.trim() !== '' && !UUID.test(typedId.trim()) ? 'An agent id is a UUID.' : undefined;

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
        <fieldset className={styles.people}>
          <legend>{type === 'group' ? 'Agents' : 'Agent'}</legend>
          {directory.known.length === 0 && <p className={styles.hint}>Agents you meet in talks appear here. Add one by id below.</p>}
          <ul className={styles.agents}>
            {directory.known.map((agent) => (
              <li key={agent.id}>
                <label className={styles.agent}>
                  <input
                    type={type === 'group' ? 'checkbox' : 'radio'}
                    name="agent"
                    checked={picked.includes(agent.id)}
                    onChange={() => toggle(agent.id)}
                  />
                  <span>{agent.name}</span>
                  <code className={styles.id}>{agent.id.slice(0, 8)}</code>
                </label>
              </li>
            ))}
          </ul>
          <div className={styles.byId}>
            <label className={controls.field}>
              Add an agent by id
              <input
                className={controls.input}
                value={typedId}
                onChange={(e) => setTypedId(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addTyped();
                  }
                }}
                spellCheck={false}
                placeholder="00000000-0000-0000-0000-000000000000"
                aria-invalid={typedProblem !== undefined}
              />
            </label>
            <button type="button" className={controls.button} onClick={addTyped} disabled={!UUID.test(typedId.trim())}>
              Add
            </button>
          </div>
          {typedProblem !== undefined && <p className={styles.hint}>{typedProblem}</p>}
        </fieldset>
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
