// Served by the hub, the page's origin is the hub's; the dev server only proxies the API.
const HUB_URL = import.meta.env.DEV ? 'http://HOST:2801/' : new URL('/', window.location.href).href;

/** The empty state of a hub that has never received an alert: how to send it some. */
export function FalcoSetupHint() {
  return (
    <section className="empty-state" aria-labelledby="falco-setup-title">
      <h2 id="falco-setup-title">
        No alerts yet — point Falco at <code>{HUB_URL}</code>
      </h2>
      <p>
        In <code>falco.yaml</code> (or under <code>falco:</code> in the Helm chart&apos;s values), then restart Falco:
      </p>
      <pre className="code-block">
        {`json_output: true
http_output:
  enabled: true
  url: "${HUB_URL}"`}
      </pre>
      <p>Alerts show up here as they arrive; there is no need to reload.</p>
    </section>
  );
}
