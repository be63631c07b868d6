/**
 * The talk's details: rename, close or reopen it; its participants, whom to add (group talks),
 * remove, or leave. Names of other agents are the ones given in this browser (agent-directory).
 */
import { useState, type SyntheticEvent, type ReactNode } from 'react';
import type { Participant, Talk } from '@talk/shared/schemas';
import { PresenceDot } from '../live/PresenceDot';
import { useAgentDirectory } from '../agents/agent-directory';
import { describeFailure } from '../api/failure';
import panel from '../panel/SidePanel.module.css';
import controls from '../styles/controls.module.css';
import { useTalkActions } from '../talks/use-talks';
import { useParticipantActions } from './use-participant-actions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DetailsPanelProps {
  readonly talk: Talk;
  readonly participants: readonly Participant[];
  readonly onClose: () => void;
  readonly onLeft: () => void;
}

export function DetailsPanel({ talk, participants, onClose, onLeft }: DetailsPanelProps): ReactNode {
  const directory = useAgentDirectory();
  const talkActions = useTalkActions(talk.id);
  const people = useParticipantActions(talk.id);
  const [name, setName] = useState(talk.name);
  const [adding, setAdding] = useState('');
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const fail = (error: unknown): void => setFailure(describeFailure(error));
  const ok = (): void => setFailure(undefined);

  const active = participants.filter((p) => p.status === 'active');
  const me = active.find((p) => p.agent_id === directory.self.id);
  const isActive = talk.status === 'active';
  const addable = directory.known.filter((agent) => !active.some((p) => p.agent_id === agent.id));

  const rename = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (name.trim() !== '' && name.trim() !== talk.name) talkActions.rename.mutate(name.trim(), { onSuccess: ok, onError: fail });
  };
  const add = (event: SyntheticEvent): void => {
    event.preventDefault();
    const id = adding.trim().toLowerCase();
    if (UUID.test(id)) people.add.mutate(id, {
        onSuccess: () => {
          setAdding('');
          ok();
        },
        onError: fail,
      });
  };

  return (
    <aside className={panel.panel} aria-labelledby="details-title">
      <header className={panel.head}>
        <h2 id="details-title" className={panel.title}>
          Details
        </h2>
        <button type="button" className={controls.quiet} onClick={onClose} aria-label="Close details (Esc)">
          Close
        </button>
      </header>
      <div className={panel.scroll}>
        {failure !== undefined && (
          <div className={panel.section}>
            <p className={controls.error} role="alert">
              {failure}
            </p>
          </div>
        )}
        <form className={panel.section} onSubmit={rename}>
          <div className={panel.inline}>
            <label className={controls.field}>
              Talk name
              <input className={controls.input} value={name} onChange={(e) => setName(e.target.value)} disabled={!isActive} maxLength={255} />
            </label>
            <button type="submit" className={controls.button} disabled={!isActive || name.trim() === '' || name.trim() === talk.name}>
              Rename
            </button>
          </div>
        </form>
        <div className={panel.section}>
          <div className={panel.buttons}>
            {isActive ? (
              <button type="button" className={controls.button} onClick={() => talkActions.close.mutate(undefined, { onSuccess: ok, onError: fail })}>
                Close talk
              </button>
            ) : (
              <button type="button" className={controls.button} onClick={() => talkActions.reopen.mutate(undefined, { onSuccess: ok, onError: fail })}>
                Reopen talk
              </button>
            )}
            {me !== undefined && isActive && (
              <button type="button" className={controls.danger} onClick={() => people.remove.mutate(me.id, { onSuccess: onLeft, onError: fail })}>
                Leave talk
              </button>
            )}
          </div>
        </div>
        <hr className={panel.divider} />
        <section className={panel.section} aria-labelledby="people-title">
          <h3 id="people-title" className={panel.sectionTitle}>
            Participants ({active.length})
          </h3>
          <ul className={panel.people}>
            {active.map((participant) => (
              <PersonRow
                key={participant.id}
                participant={participant}
                canRemove={isActive && talk.type === 'group' && participant.agent_id !== directory.self.id}
                onRemove={() => people.remove.mutate(participant.id, { onSuccess: ok, onError: fail })}
              />
            ))}
          </ul>
        </section>
        {isActive && talk.type === 'group' && (
          <form className={panel.section} onSubmit={add}>
            <h3 className={panel.sectionTitle}>Add someone</h3>
            <div className={panel.inline}>
              <label className={controls.field}>
                Agent
                <input
                  className={controls.input}
                  list="addable-agents"
                  value={adding}
                  onChange={(e) => setAdding(e.target.value)}
                  placeholder="Agent id"
                  spellCheck={false}
                />
              </label>
              <datalist id="addable-agents">
                {addable.map((agent) => (
                  <option key={agent.id} value={agent.id}>
                    {agent.name}
                  </option>
                ))}
              </datalist>
              <button type="submit" className={controls.button} disabled={!UUID.test(adding.trim()) || people.add.isPending}>
                Add
              </button>
            </div>
          </form>
        )}
      </div>
    </aside>
  );
}

function PersonRow({ participant, canRemove, onRemove }: { readonly participant: Participant; readonly canRemove: boolean; readonly onRemove: () => void }): ReactNode {
  const { self, nameOf, rename } = useAgentDirectory();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const isSelf = participant.agent_id === self.id;
  const label = nameOf(participant.agent_id);
  return (
    <li className={panel.person}>
      {naming ? (
        <form
          className={panel.inline}
          onSubmit={(e) => {
            e.preventDefault();
            rename(participant.agent_id, name);
            setNaming(false);
          }}
        >
          <label className={controls.field}>
            <span className="visually-hidden">Name for {label}</span>
            <input className={controls.input} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
          </label>
          <button type="submit" className={controls.button}>
            Save
          </button>
        </form>
      ) : (
        <>
          <span className={panel.personName}>
            <PresenceDot agentId={participant.agent_id} name={label} />
            <span>{isSelf ? `${label} (you)` : label}</span> <span className={panel.personId}>{participant.agent_id.slice(0, 8)}</span>
          </span>
          {!isSelf && (
            <button
              type="button"
              className={controls.quiet}
              onClick={() => {
                setName(label);
                setNaming(true);
              }}
              aria-label={`Name ${label} in this browser`}
            >
              Name
            </button>
          )}
          {canRemove && (
            <button type="button" className={controls.quiet} onClick={onRemove} aria-label={`Remove ${label}`}>
              Remove
            </button>
          )}
        </>
      )}
    </li>
  );
}
