import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';
import { toasts } from './toasts';

const MAX_RETRIES = 3;

declare module '@tanstack/react-query' {
  interface Register {
    /** `errorTitle` names what failed in the error toast every failed mutation gets. */
    mutationMeta: { errorTitle?: string };
  }
}

/** A 4xx will not get better by asking again; network failures and 5xx might. */
function shouldRetry(failureCount: number, error: Error): boolean {
  const clientError = error instanceof ApiError && error.status >= 400 && error.status < 500;
  return !clientError && failureCount < MAX_RETRIES;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // The live stream keeps what is on screen current, and a reconnect refetches; focus adds nothing.
      queries: { retry: shouldRetry, refetchOnWindowFocus: false },
    },
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        toasts.show('error', `${mutation.meta?.errorTitle ?? 'Request failed'}: ${error.message}`);
      },
    }),
  });
}
