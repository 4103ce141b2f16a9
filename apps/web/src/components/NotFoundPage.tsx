import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <section className="empty-state">
      <h2>Page not found</h2>
      <p>
        <Link to="/">Go to the alerts</Link>
      </p>
    </section>
  );
}
