/**
 * Says so while the socket is not open, what is shown may be behind until it is again: a banner
 * above the talk, and the sidebar's line on how updates arrive.
 */
import type { ReactNode } from 'react';
import { useLiveSocket } from './live-socket';
import styles from './LiveBanner.module.css';

export function LiveBanner(): ReactNode {
  const { state, wasOpen } = useLiveSocket();
  const open = state === 'open';
  return (
    <div role="status" className={open ? styles.hidden : styles.banner}>
      {open ? '' : wasOpen ? 'Offline: reconnecting… Messages will appear once connected again.' : 'Connecting to live updates…'}
    </div>
  );
}

/** The sidebar's one word on the socket: live, or why not. */
export function LiveStatus({ className }: { readonly className: string | undefined }): ReactNode {
  const { state, wasOpen } = useLiveSocket();
  const word = state === 'open' ? 'live' : wasOpen ? 'reconnecting…' : 'connecting…';
  return (
    <p className={className} title="How this console learns about changes: one WebSocket for the tab">
      Updates: {word}
    </p>
  );
}
