import {
  createBrowserHistory,
  createRootRoute,
  createRoute,
  createRouter,
  type RouterHistory,
} from '@tanstack/react-router';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { type UpcomingPage, upcomingPages } from './pages/upcomingPages';
import { AppLayout } from './shell/AppLayout';

const rootRoute = createRootRoute({ component: AppLayout, notFoundComponent: NotFoundPage });

const dashboardRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: DashboardPage });

function upcoming<const P extends UpcomingPage>(page: P) {
  return createRoute({
    getParentRoute: () => rootRoute,
    path: page.path,
    component: () => <ComingSoonPage page={page} />,
  });
}

const routeTree = rootRoute.addChildren([
  dashboardRoute,
  upcoming(upcomingPages.devices),
  upcoming(upcomingPages.employees),
  upcoming(upcomingPages.software),
  upcoming(upcomingPages.audit),
  upcoming(upcomingPages.store),
  upcoming(upcomingPages.settings),
]);

/** Code-based routes; tests pass a memory history. */
export function createAppRouter(history: RouterHistory = createBrowserHistory()) {
  return createRouter({ routeTree, history, defaultPreload: 'intent', scrollRestoration: true });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
