/**
 * The talk's messages, oldest at the top and the newest at the bottom, as a virtualised list: only
 * the rows on screen (and a few around) are in the page, so thousands of messages scroll as
 * smoothly as ten. Scrolling near the top loads the next older page and keeps the reader's place;
 * a new message scrolls into view only when the reader was already at the bottom.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import type { Message } from '@talk/shared/schemas';
import styles from './MessageList.module.css';

const NEAR_EDGE_PX = 80;

export interface MessageListProps {
  readonly messages: readonly Message[];
  readonly hasOlder: boolean;
  readonly loadingOlder: boolean;
  readonly loadOlder: () => void;
  readonly onAtBottom: (atBottom: boolean) => void;
  readonly renderMessage: (message: Message) => ReactNode;
}

export function MessageList({ messages, hasOlder, loadingOlder, loadOlder, onAtBottom, renderMessage }: MessageListProps): ReactNode {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const fromBottom = useRef<number | undefined>(undefined);
  const firstId = useRef<string | undefined>(undefined);
  const lastId = useRef<string | undefined>(undefined);

  const rows = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 72,
    overscan: 8,
    getItemKey: (index) => messages[index]?.id ?? index,
  });

  // Older messages came in above: keep the distance to the bottom, so the reader stays in place.
  // A new message below: follow it only when the reader was at the bottom.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null || messages.length === 0) return;
    const newFirst = messages[0]?.id;
    const newLast = messages.at(-1)?.id;
    if (firstId.current === undefined) {
      rows.scrollToIndex(messages.length - 1, { align: 'end' });
    } else if (newFirst !== firstId.current && fromBottom.current !== undefined) {
      element.scrollTop = rows.getTotalSize() - fromBottom.current;
    } else if (newLast !== lastId.current && atBottom.current) {
      rows.scrollToIndex(messages.length - 1, { align: 'end' });
    }
    firstId.current = newFirst;
    lastId.current = newLast;
    fromBottom.current = undefined;
  }, [messages, rows]);

  useEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const follow = (): void => {
      const bottom = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_EDGE_PX;
      if (bottom !== atBottom.current) {
        atBottom.current = bottom;
        onAtBottom(bottom);
      }
      if (element.scrollTop < NEAR_EDGE_PX * 3 && hasOlder && !loadingOlder) {
        fromBottom.current = element.scrollHeight - element.scrollTop;
        loadOlder();
      }
    };
    element.addEventListener('scroll', follow, { passive: true });
    follow();
    return () => element.removeEventListener('scroll', follow);
  }, [hasOlder, loadingOlder, loadOlder, onAtBottom]);

  return (
    <div className={styles.frame}>
      {loadingOlder && <p className={styles.loading}>Loading older messages…</p>}
      <div ref={scroller} className={styles.scroller} tabIndex={0} role="region" aria-label="Messages">
        <ol className={styles.list} style={{ height: rows.getTotalSize() }}>
          {rows.getVirtualItems().map((row) => {
            const message = messages[row.index];
            return message === undefined ? null : (
              <li key={row.key} ref={rows.measureElement} data-index={row.index} className={styles.row} style={{ transform: `translateY(${row.start}px)` }}>
                {row.index === 0 && !hasOlder && <p className={styles.start}>This is the start of the talk.</p>}
                {renderMessage(message)}
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
