/** React access to the app's single `AlertStream`. */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { AlertStream, StreamStatus } from './alert-stream';

export const AlertStreamContext = createContext<AlertStream | null>(null);

export function useAlertStream(): AlertStream {
  const stream = useContext(AlertStreamContext);
  if (stream === null) throw new Error('useAlertStream must be used inside <AlertStreamContext>');
  return stream;
}

export function useStreamStatus(): StreamStatus {
  const stream = useAlertStream();
  const subscribe = useCallback((onChange: () => void) => stream.onStatus(onChange), [stream]);
  return useSyncExternalStore(subscribe, () => stream.status);
}
