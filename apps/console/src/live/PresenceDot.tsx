/** A small dot for an agent's presence, with its name in words for screen readers and tooltips. */
import type { ReactNode } from 'react';
import { usePresence } from './live-updates';
import styles from './PresenceDot.module.css';

export function PresenceDot({ agentId, name }: { readonly agentId: string; readonly name: string }): ReactNode {
  const status = usePresence(agentId)?.status ?? 'offline';
  return (
    <span className={styles[status]} role="img" aria-label={`${name} is ${status}`} title={`${name} is ${status}`} />
  );
}
