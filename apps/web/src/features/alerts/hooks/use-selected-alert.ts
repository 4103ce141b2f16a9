import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

const PARAM = 'alert';

export interface SelectedAlertState {
  /** The id of the alert whose details are open, if any. */
  selectedId: string | undefined;
  openAlert: (id: string) => void;
  closeAlert: () => void;
}

/** The alert shown in the details panel, kept in the URL (`?alert=ID`) beside the filter so a link shares both. */
export function useSelectedAlert(): SelectedAlertState {
  const [search, setSearch] = useSearchParams();
  const selectedId = search.get(PARAM) || undefined;
  const select = useCallback(
    (id: string | undefined) =>
      setSearch((current) => {
        const next = new URLSearchParams(current);
        if (id === undefined) next.delete(PARAM);
        else next.set(PARAM, id);
        return next;
      }),
    [setSearch],
  );
  const openAlert = useCallback((id: string) => select(id), [select]);
  const closeAlert = useCallback(() => select(undefined), [select]);
  return { selectedId, openAlert, closeAlert };
}
