import { useQuery } from '@tanstack/react-query';
import { LOGIN_PATH } from '../../lib/api-client';
import { fetchSession, logout, sessionQueryKey } from './auth-api';
import './auth.css';

/** Who is logged in and a way out; nothing when the hub runs with AUTH=disabled. */
export function LogoutButton() {
  const session = useQuery({ queryKey: sessionQueryKey, queryFn: ({ signal }) => fetchSession(signal) });
  if (!session.data?.authEnabled) return null;

  async function onClick() {
    await logout();
    window.location.assign(LOGIN_PATH);
  }
  return (
    <span className="session-user">
      <span className="muted">{session.data.user}</span>
      <button className="button button-small" type="button" onClick={() => void onClick()}>
        Log out
      </button>
    </span>
  );
}
