import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client';

const MAX_RETRIES = 3;

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
  });
}
