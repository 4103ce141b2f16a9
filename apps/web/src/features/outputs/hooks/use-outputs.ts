import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { toasts } from '../../../lib/toasts';
import { fetchDeadLetters, fetchOutputs, outputKeys, redriveDeadLetters, sendTestAlert } from '../api/outputs-api';

/** Delivery changes without anything pushing it here, so the page polls. */
const POLL_MS = 5_000;

export function useOutputs() {
  return useQuery({
    queryKey: outputKeys.list(),
    queryFn: ({ signal }) => fetchOutputs(signal),
    refetchInterval: POLL_MS,
  });
}

/** Only asked for while the output has dead letters. */
export function useDeadLetters(name: string, enabled: boolean) {
  return useQuery({
    queryKey: outputKeys.deadLetters(name),
    queryFn: ({ signal }) => fetchDeadLetters(name, signal),
    enabled,
    refetchInterval: POLL_MS,
  });
}

export function useRedrive(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids?: readonly string[]) => redriveDeadLetters(name, ids),
    meta: { errorTitle: `Could not re-drive ${name}'s dead letters` },
    onSuccess: ({ redriven }) => {
      toasts.show('success', `Queued ${redriven} dead letter${redriven === 1 ? '' : 's'} of ${name} again`);
      return queryClient.invalidateQueries({ queryKey: outputKeys.all });
    },
  });
}

export function useSendTestAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: sendTestAlert,
    meta: { errorTitle: 'Could not send the test alert' },
    onSuccess: () => {
      toasts.show('success', 'Test alert queued for every output');
      return queryClient.invalidateQueries({ queryKey: outputKeys.all });
    },
  });
}
