import { useStreamStatus } from '../lib/alert-stream-context';

/** Shown while the live connection is down; the stream reconnects by itself and the list is refetched then. */
export function OfflineBanner() {
  const status = useStreamStatus();
  if (status !== 'offline') return null;
  return (
    <div className="offline-banner" role="status">
      Lost the live connection to the hub. Reconnecting… Alerts sent meanwhile are loaded once it is back.
    </div>
  );
}
