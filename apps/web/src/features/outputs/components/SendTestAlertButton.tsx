import { useSendTestAlert } from '../hooks/use-outputs';

/** falcosidekick's test: one "Test rule" alert through every output; the result comes as a toast. */
export function SendTestAlertButton() {
  const send = useSendTestAlert();
  return (
    <button
      type="button"
      className="button button-primary"
      data-testid="send-test-alert"
      disabled={send.isPending}
      onClick={() => send.mutate()}
    >
      {send.isPending ? 'Sending…' : 'Send test alert'}
    </button>
  );
}
