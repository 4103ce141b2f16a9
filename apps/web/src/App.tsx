import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { AppLayout } from './components/AppLayout';
import { NotFoundPage } from './components/NotFoundPage';
import { AlertsPage } from './features/alerts/AlertsPage';
import { LoginPage } from './features/auth/LoginPage';
import { OutputsPage } from './features/outputs/OutputsPage';
import type { AlertStream } from './lib/alert-stream';
import { AlertStreamContext } from './lib/alert-stream-context';

// Charts are not needed for the first view, so the overview is a chunk of its own.
const OverviewPage = lazy(() => import('./features/overview/OverviewPage').then((m) => ({ default: m.OverviewPage })));

const RulesPage = lazy(() => import('./features/rules/RulesPage').then((m) => ({ default: m.RulesPage })));

function Loading() {
  return (
    <p className="page-status" role="status">
      Loading…
    </p>
  );
}

const router = createBrowserRouter([
  { path: 'login', element: <LoginPage /> },
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <AlertsPage /> },
      {
        path: 'overview',
        element: (
          <Suspense fallback={<Loading />}>
            <OverviewPage />
          </Suspense>
        ),
      },
      { path: 'outputs', element: <OutputsPage /> },
      {
        path: 'rules',
        element: (
          <Suspense fallback={<Loading />}>
            <RulesPage />
          </Suspense>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

interface AppProps {
  queryClient: QueryClient;
  alertStream: AlertStream;
}

export function App({ queryClient, alertStream }: AppProps) {
  return (
    <QueryClientProvider client={queryClient}>
      <AlertStreamContext value={alertStream}>
        <RouterProvider router={router} />
      </AlertStreamContext>
    </QueryClientProvider>
  );
}
