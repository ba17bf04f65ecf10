/** Notices (a refused connection, a copy, a run error) clear themselves after a while. */
import { useEffect } from 'react';
import type { EditorState, EditorStore } from './store';

/** How long a notice stays on screen (ms). */
const NOTICE_MS = 6000;

/** Clear `notice` from `store` {@link NOTICE_MS} after it appeared (a newer one restarts). */
export function useNoticeExpiry(store: EditorStore, notice: EditorState['notice']): void {
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => store.clearNotice(), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice, store]);
}
