import { useState, type FormEvent } from 'react';
import { ApiError } from '../../lib/api-client';
import { login, nextPath } from './auth-api';
import './auth.css';

/** Name and password; on success a full page load, so the live stream reconnects with the new session cookie. */
export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(username, password);
      window.location.assign(nextPath(window.location.search));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Login failed');
      setBusy(false);
    }
  }

  return (
    <main className="login-page">
      <form className="login-form" onSubmit={(event) => void onSubmit(event)} aria-labelledby="login-title">
        <h1 id="login-title">Harrier</h1>
        <label>
          User name
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error !== undefined && (
          <p className="error-message" role="alert">
            {error}
          </p>
        )}
        <button className="button button-primary" type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
