/** Whether an element has come into view, from the browser's IntersectionObserver. */
import { useEffect, useRef, type RefObject } from 'react';

/** Calls `onFirstSight` once, the first time the element is on screen. */
export function useOnScreen(element: RefObject<HTMLElement | null>, onFirstSight: () => void): void {
  const callback = useRef(onFirstSight);
  callback.current = onFirstSight;
  useEffect(() => {
    const target = element.current;
    if (target === null) return;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      callback.current();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [element]);
}
