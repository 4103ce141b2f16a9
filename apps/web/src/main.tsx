import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Before any component, so feature styles come later in the cascade.
import './styles.css';
import { App } from './App';
import { AlertStream } from './lib/alert-stream';
import { prefetchAlerts } from './features/alerts/hooks/use-alerts';
import { createQueryClient } from './lib/query-client';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

// One stream for the whole app, connected for as long as the page is open.
const alertStream = new AlertStream();
alertStream.connect();

const queryClient = createQueryClient();
// The alerts view is the usual first page: its history is asked for while React is still starting.
if (window.location.pathname === '/') prefetchAlerts(queryClient, window.location.search);

createRoot(root).render(
  <StrictMode>
    <App queryClient={queryClient} alertStream={alertStream} />
  </StrictMode>,
);
