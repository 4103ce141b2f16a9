interface OutputConfigProps {
  config: Record<string, unknown>;
}

/** An output's settings as the hub shows them, secrets already masked there. */
export function OutputConfig({ config }: OutputConfigProps) {
  const keys = Object.keys(config).sort();
  if (keys.length === 0) return null;
  return (
    <details className="output-config">
      <summary>Configuration</summary>
      <dl data-testid="output-config">
        {keys.map((key) => (
          <div key={key} className="output-config-entry">
            <dt>
              <code>{key}</code>
            </dt>
            <dd>{typeof config[key] === 'string' ? config[key] : JSON.stringify(config[key])}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
