import { NavLink, Outlet, useLocation } from 'react-router';
import { FILTER_PARAMS } from '../features/alerts/api/alert-filter-params';
import { LogoutButton } from '../features/auth/LogoutButton';
import { ConnectionStatus } from './ConnectionStatus';
import { OfflineBanner } from './OfflineBanner';
import { ToastRegion } from './ToastRegion';

/** The filter part of the current URL, carried between the views that show alerts. */
function useFilterSearch(): string {
  const { search } = useLocation();
  const current = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const name of FILTER_PARAMS) for (const value of current.getAll(name)) kept.append(name, value);
  const text = kept.toString();
  return text === '' ? '' : `?${text}`;
}

export function AppLayout() {
  const filterSearch = useFilterSearch();
  return (
    <>
      <div className="app-top">
        <header className="app-header">
          <span className="app-brand">Harrier</span>
          <nav className="app-nav" aria-label="Main">
            <NavLink to={{ pathname: '/', search: filterSearch }} end>
              Alerts
            </NavLink>
            <NavLink to={{ pathname: '/overview', search: filterSearch }}>Overview</NavLink>
            <NavLink to="/outputs">Outputs</NavLink>
            <NavLink to="/rules">Rules</NavLink>
          </nav>
          <ConnectionStatus />
          <LogoutButton />
        </header>
        <OfflineBanner />
      </div>
      <main className="app-main">
        <Outlet />
      </main>
      <ToastRegion />
    </>
  );
}
