import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { AppLayout } from './components/AppLayout';
import { NotFoundPage } from './components/NotFoundPage';
import { AlertsPage } from './features/alerts/AlertsPage';
import { LoginPage } from './features/auth/LoginPage';
import { OutputsPage } from './features/outputs/OutputsPage';
import type { AlertStream } from './lib/alert-stream';
import { AlertStreamContext } from './lib/alert-stream-context';

const router = createBrowserRouter([
  { path: 'login', element: <LoginPage /> },
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <AlertsPage /> },
      { path: 'outputs', element: <OutputsPage /> },
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
