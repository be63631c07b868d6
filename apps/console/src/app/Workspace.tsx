/** The signed-in layout: the talk list beside the open talk (or a welcome when none is open). */
import { useState, type ReactNode } from 'react';
import { useAgentDirectory } from '../agents/agent-directory';
import { LiveBanner, LiveStatus } from '../live/LiveBanner';
import { useSessionState } from '../session/session-context';
import controls from '../styles/controls.module.css';
import { TalkView } from '../talk/TalkView';
import { NewTalkDialog } from '../talks/NewTalkDialog';
import { TalkList } from '../talks/TalkList';
import { useOpenTalk } from './route';
import styles from './Workspace.module.css';

export function Workspace(): ReactNode {
  const { self } = useAgentDirectory();
  const { signOut } = useSessionState();
  const { talkId, open } = useOpenTalk();
  const [creating, setCreating] = useState(false);

  return (
    <div className={styles.shell}>
      <nav className={styles.sidebar} aria-label="Talks">
        <header className={styles.me}>
          <span className={styles.avatar} aria-hidden="true">
            {self.name.slice(0, 1).toUpperCase()}
          </span>
          <span className={styles.who}>
            <strong>{self.name}</strong>
            <span className={styles.username}>@{self.username}</span>
          </span>
          <button type="button" className={controls.quiet} onClick={() => signOut()}>
            Sign out
          </button>
        </header>
        <button type="button" className={controls.primary} onClick={() => setCreating(true)}>
          New talk
        </button>
        <TalkList openTalkId={talkId} onOpen={open} />
        <LiveStatus className={styles.live} />
      </nav>
      <main className={styles.main}>
        <LiveBanner />
        {talkId === undefined ? (
          <div className={styles.welcome}>
            <h1>Welcome, {self.name}</h1>
            <p>Pick a talk on the left, or start a new one.</p>
          </div>
        ) : (
          <TalkView key={talkId} talkId={talkId} onLeft={() => open(undefined)} />
        )}
      </main>
      {creating && (
        <NewTalkDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            open(id);
          }}
        />
      )}
    </div>
  );
}
