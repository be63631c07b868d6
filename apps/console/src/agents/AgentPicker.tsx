/**
 * Picks agents of the customer by name: a search field over the directory's colleagues and a list
 * of the matches, checkboxes when several may be picked, radio buttons when one.
 */
import { useId, useMemo, useState, type ReactNode } from 'react';
import type { Agent } from '@talk/shared/schemas';
import { describeFailure } from '../api/failure';
import controls from '../styles/controls.module.css';
import { matchAgents } from './agent-listing';
import { useAgentDirectory } from './agent-directory';
import styles from './AgentPicker.module.css';

/** Matches shown at once: typing narrows the rest. */
const SHOWN_MATCHES = 50;

export interface AgentPickerProps {
  readonly legend: string;
  readonly mode: 'one' | 'many';
  readonly picked: readonly string[];
  readonly onChange: (agentIds: readonly string[]) => void;
  /** Agents not to offer (those already in the talk). */
  readonly leaveOut?: readonly string[];
}

export function AgentPicker({ legend, mode, picked, onChange, leaveOut = [] }: AgentPickerProps): ReactNode {
  const { colleagues, listing } = useAgentDirectory();
  const [query, setQuery] = useState('');
  const group = useId();
  const offered = useMemo(() => colleagues.filter((agent) => !leaveOut.includes(agent.id)), [colleagues, leaveOut]);
  const matches = useMemo(() => matchAgents(offered, query), [offered, query]);
  const shown = matches.slice(0, SHOWN_MATCHES);

  const toggle = (agent: Agent): void => {
    if (mode === 'one') onChange([agent.id]);
    else onChange(picked.includes(agent.id) ? picked.filter((id) => id !== agent.id) : [...picked, agent.id]);
  };

  return (
    <fieldset className={styles.picker}>
      <legend>{legend}</legend>
      <label className={controls.field}>
        <span className="visually-hidden">Find an agent by name</span>
        <input className={controls.input} type="search" placeholder="Find by name or username" value={query} onChange={(e) => setQuery(e.target.value)} />
      </label>
      {listing.pending && <p className={styles.hint}>Loading agents…</p>}
      {listing.failure !== null && (
        <p className={controls.error} role="alert">
          Could not list the agents: {describeFailure(listing.failure)}
        </p>
      )}
      {!listing.pending && listing.failure === null && shown.length === 0 && (
        <p className={styles.hint}>{offered.length === 0 ? 'There is nobody else to add.' : 'Nobody has that name.'}</p>
      )}
      <ul className={styles.agents}>
        {shown.map((agent) => (
          <li key={agent.id}>
            <label className={styles.agent}>
              <input type={mode === 'many' ? 'checkbox' : 'radio'} name={group} checked={picked.includes(agent.id)} onChange={() => toggle(agent)} />
              <span>{agent.name}</span>
              <span className={styles.username}>@{agent.username}</span>
            </label>
          </li>
        ))}
      </ul>
      {matches.length > shown.length && (
        <p className={styles.hint}>
          {matches.length - shown.length} more: type to narrow.
        </p>
      )}
    </fieldset>
  );
}
