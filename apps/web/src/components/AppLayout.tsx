import { NavLink, Outlet } from 'react-router';
import { LogoutButton } from '../features/auth/LogoutButton';
import { ConnectionStatus } from './ConnectionStatus';
import { OfflineBanner } from './OfflineBanner';
import { ToastRegion } from './ToastRegion';

export function AppLayout() {
  return (
    <>
      <div className="app-top">
        <header className="app-header">
          <span className="app-brand">Harrier</span>
          <nav className="app-nav" aria-label="Main">
            <NavLink to="/" end>
              Alerts
            </NavLink>
            <NavLink to="/outputs">Outputs</NavLink>
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
