/** "Bob is typing…" under a talk's messages, while others type in it. */
import type { ReactNode } from 'react';
import { useAgentDirectory } from '../agents/agent-directory';
import { useTyping } from './live-updates';
import styles from './TypingLine.module.css';

export function TypingLine({ talkId }: { readonly talkId: string }): ReactNode {
  const { nameOf } = useAgentDirectory();
  const names = useTyping(talkId).map(nameOf);
  const said =
    names.length === 0 ? '' : names.length === 1 ? `${names[0] ?? ''} is typing…` : names.length === 2 ? `${names.join(' and ')} are typing…` : 'Several people are typing…';
  return (
    <p className={styles.line} aria-live="polite">
      {said}
    </p>
  );
}
