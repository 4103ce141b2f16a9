import { useSyncExternalStore } from 'react';
import { toasts } from '../lib/toasts';

const subscribe = (onChange: () => void) => toasts.subscribe(onChange);
const snapshot = () => toasts.toasts;

/** Where toasts appear; announced to screen readers, errors assertively. */
export function ToastRegion() {
  const shown = useSyncExternalStore(subscribe, snapshot);
  return (
    <div className="toast-region" aria-live="polite">
      {shown.map((toast) => (
        <div
          key={toast.id}
          className="toast"
          data-testid="toast"
          data-kind={toast.kind}
          role={toast.kind === 'error' ? 'alert' : 'status'}
        >
          <span>
            <span aria-hidden="true">{toast.kind === 'error' ? '✕ ' : '✓ '}</span>
            {toast.text}
          </span>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => toasts.dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
