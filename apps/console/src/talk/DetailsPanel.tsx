/**
 * The talk's details: rename, close or reopen it; its participants with their presence, whom to
 * add (group talks, picked by name), remove, or leave.
 */
import { useMemo, useState, type SyntheticEvent, type ReactNode } from 'react';
import type { Participant, Talk } from '@talk/shared/schemas';
import { PresenceDot } from '../live/PresenceDot';
import { AgentPicker } from '../agents/AgentPicker';
import { useAgentDirectory } from '../agents/agent-directory';
import { describeFailure } from '../api/failure';
import panel from '../panel/SidePanel.module.css';
import controls from '../styles/controls.module.css';
import { useTalkActions } from '../talks/use-talks';
import { useParticipantActions } from './use-participant-actions';

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
  const [adding, setAdding] = useState<readonly string[]>([]);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const fail = (error: unknown): void => setFailure(describeFailure(error));
  const ok = (): void => setFailure(undefined);

  const active = participants.filter((p) => p.status === 'active');
  const me = active.find((p) => p.agent_id === directory.self.id);
  const isActive = talk.status === 'active';
  const inTalk = useMemo(() => active.map((p) => p.agent_id), [active]);

  const rename = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (name.trim() !== '' && name.trim() !== talk.name) talkActions.rename.mutate(name.trim(), { onSuccess: ok, onError: fail });
  };
  const add = (event: SyntheticEvent): void => {
    event.preventDefault();
    const [agentId] = adding;
    if (agentId !== undefined)
      people.add.mutate(agentId, {
        onSuccess: () => {
          setAdding([]);
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
            <AgentPicker legend="Agent" mode="one" picked={adding} onChange={setAdding} leaveOut={inTalk} />
            <div className={panel.buttons}>
              <button type="submit" className={controls.button} disabled={adding.length === 0 || people.add.isPending}>
                Add to talk
              </button>
            </div>
          </form>
        )}
      </div>
    </aside>
  );
}

function PersonRow({ participant, canRemove, onRemove }: { readonly participant: Participant; readonly canRemove: boolean; readonly onRemove: () => void }): ReactNode {
  const { self, nameOf } = useAgentDirectory();
  const isSelf = participant.agent_id === self.id;
  const label = nameOf(participant.agent_id);
  return (
    <li className={panel.person}>
      <span className={panel.personName}>
        <PresenceDot agentId={participant.agent_id} name={label} />
        <span>{isSelf ? `${label} (you)` : label}</span>
      </span>
      {canRemove && (
        <button type="button" className={controls.quiet} onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </button>
      )}
    </li>
  );
}
