import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Before any component, so feature styles come later in the cascade.
import './styles.css';
import { App } from './App';
import { AlertStream } from './lib/alert-stream';
import { createQueryClient } from './lib/query-client';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

// One stream for the whole app, connected for as long as the page is open.
const alertStream = new AlertStream();
alertStream.connect();

createRoot(root).render(
  <StrictMode>
    <App queryClient={createQueryClient()} alertStream={alertStream} />
  </StrictMode>,
);
