import { useState } from 'preact/hooks';
import { useRemote } from '../../api/useRemote.ts';

/**
 * An admin list screen's state: the list from the server, which row is being changed, and the
 * "done" message after a change (which also reloads the list).
 */
export function useAdminList<T extends { id: string }>(load: () => Promise<T[]>) {
  const list = useRemote(load);
  const [editing, setEditing] = useState<string | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  return {
    list,
    flash,
    editingItem: list.state === 'ready' ? list.data.find((item) => item.id === editing) : undefined,
    startEditing: (id: string) => {
      setFlash(null);
      setEditing(id);
    },
    stopEditing: () => {
      setEditing(null);
    },
    done: (message: string) => {
      setFlash(message);
      setEditing(null);
      list.reload();
    },
  };
}
