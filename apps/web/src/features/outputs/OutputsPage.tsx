import { ErrorMessage } from '../../components/ErrorMessage';
import { OutputCard } from './components/OutputCard';
import { SendTestAlertButton } from './components/SendTestAlertButton';
import { useOutputs } from './hooks/use-outputs';
import './outputs.css';

/** Where alerts go: each output's delivery health, queue and dead letters, refreshed every few seconds. */
export function OutputsPage() {
  const query = useOutputs();
  const outputs = query.data;

  return (
    <div className="outputs-page">
      <div className="outputs-toolbar">
        <h1>Outputs</h1>
        <SendTestAlertButton />
      </div>
      {query.isError && <ErrorMessage title="Could not load the outputs" error={query.error} />}
      {query.isPending && (
        <p className="page-status" role="status">
          Loading outputs…
        </p>
      )}
      {outputs?.length === 0 && (
        <section className="empty-state">
          <h2>No outputs configured</h2>
          <p>
            Alerts are stored and shown here, but sent nowhere. Add a <code>slack:</code>, <code>smtp:</code> or{' '}
            <code>webhook:</code> section (or <code>outputs:</code>) to the hub&apos;s config file and restart it.
          </p>
        </section>
      )}
      {outputs?.map((output) => (
        <OutputCard key={output.name} output={output} now={query.dataUpdatedAt} />
      ))}
    </div>
  );
}
