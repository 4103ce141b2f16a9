interface AlertFieldsTableProps {
  fields: Record<string, unknown>;
}

function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every output field of an alert, sorted by name, values as text. */
export function AlertFieldsTable({ fields }: AlertFieldsTableProps) {
  const names = Object.keys(fields).sort();
  if (names.length === 0) return <p className="muted">This alert has no output fields.</p>;
  return (
    <table className="fields-table" data-testid="alert-fields">
      <caption className="visually-hidden">Output fields</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => (
          <tr key={name} data-testid="alert-field" data-field={name}>
            <th scope="row">
              <code>{name}</code>
            </th>
            <td>{fieldText(fields[name])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
