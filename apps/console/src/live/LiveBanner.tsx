/** Says so while the socket is not open: what is shown may be behind until it is again. */
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
