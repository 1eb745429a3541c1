import {
  createBrowserHistory,
  createRootRoute,
  createRoute,
  createRouter,
  Outlet,
  type RouterHistory,
} from '@tanstack/react-router';
import { AuthGate } from './auth/AuthGate';
import { safeReturnTo } from './auth/returnTo';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { DashboardPage } from './pages/dashboard/DashboardPage';
import { DeviceDetailPage } from './pages/devices/DeviceDetailPage';
import { DevicesPage } from './pages/devices/DevicesPage';
import { parseDeviceListSearch } from './pages/devices/deviceListSearch';
import { ImportDevicesPage } from './pages/devices/import/ImportDevicesPage';
import { parseImportSearch } from './pages/devices/import/importSearch';
import { EmployeesPage } from './pages/employees/EmployeesPage';
import { MyDevicesPage } from './pages/my-devices/MyDevicesPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PlatformConsolePage } from './pages/platform/PlatformConsolePage';
import { CategoriesPage } from './pages/settings/catalog/CategoriesPage';
import { InventorySettingsPage } from './pages/settings/catalog/InventorySettingsPage';
import { PlacesPage } from './pages/settings/catalog/PlacesPage';
import { TagsPage } from './pages/settings/catalog/TagsPage';
import { VendorsPage } from './pages/settings/catalog/VendorsPage';
import { DirectorySettingsPage } from './pages/settings/directory/DirectorySettingsPage';
import { GeneralSettingsPage } from './pages/settings/GeneralSettingsPage';
import { CurrencySettingsPage } from './pages/settings/money/CurrencySettingsPage';
import { UserProvisioningPage } from './pages/settings/provisioning/UserProvisioningPage';
import { SettingsLayout } from './pages/settings/SettingsLayout';
import { TenantsSettingsPage } from './pages/settings/TenantsSettingsPage';
import { UsersAndRolesPage } from './pages/settings/users/UsersAndRolesPage';
import { SignInPage } from './pages/sign-in/SignInPage';
import { SignUpPage } from './pages/sign-up/SignUpPage';
import { type UpcomingPage, upcomingPages } from './pages/upcomingPages';
import { AppLayout } from './shell/AppLayout';

function SignedInFrame() {
  return (
    <AuthGate>
      <AppLayout />
    </AuthGate>
  );
}

/** Unknown addresses: the not-found page inside the shell, for signed-in people only. */
function SignedInNotFound() {
  return (
    <AuthGate>
      <AppLayout>
        <NotFoundPage />
      </AppLayout>
    </AuthGate>
  );
}

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: SignedInNotFound });

export interface SignInSearch {
  error?: string;
  returnTo?: string;
  signedOut?: boolean;
}

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  // Every key is set, even to undefined: the router keeps raw values of keys left out.
  validateSearch: (search: Record<string, unknown>): SignInSearch => ({
    error: typeof search.error === 'string' ? search.error.slice(0, 60) : undefined,
    returnTo: safeReturnTo(search.returnTo),
    signedOut: search.signedOut === true || search.signedOut === 'true' ? true : undefined,
  }),
  component: SignInPage,
});

const signUpRoute = createRoute({ getParentRoute: () => rootRoute, path: '/sign-up', component: SignUpPage });

/** Everything behind sign-in, inside the shell. */
const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  component: SignedInFrame,
});

const dashboardRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/',
  component: DashboardPage,
});

function upcoming<const P extends UpcomingPage>(page: P) {
  return createRoute({
    getParentRoute: () => signedInRoute,
    path: page.path,
    component: () => <ComingSoonPage page={page} />,
  });
}

const devicesRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/devices',
  validateSearch: parseDeviceListSearch,
  component: DevicesPage,
});

// DEV-12: a static segment, so it wins over /devices/$id.
const importDevicesRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/devices/import',
  validateSearch: parseImportSearch,
  component: ImportDevicesPage,
});

const deviceRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/devices/$id',
  component: DeviceDetailPage,
});

const employeesRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/employees',
  component: EmployeesPage,
});

const myDevicesRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/my-devices',
  component: MyDevicesPage,
});

const settingsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/settings',
  component: SettingsLayout,
});
const generalSettingsRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/',
  component: GeneralSettingsPage,
});
const tenantsSettingsRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/tenants',
  component: TenantsSettingsPage,
});
const usersSettingsRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/users',
  component: UsersAndRolesPage,
});

const directorySettingsRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/directory',
  component: DirectorySettingsPage,
});

const provisioningSettingsRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/provisioning',
  component: UserProvisioningPage,
});

// The tenant's inventory lists and settings (DEV-2, DEV-4, DEV-10, DEV-11).
const catalogSettingsRoutes = [
  createRoute({ getParentRoute: () => settingsRoute, path: '/categories', component: CategoriesPage }),
  createRoute({ getParentRoute: () => settingsRoute, path: '/places', component: PlacesPage }),
  createRoute({ getParentRoute: () => settingsRoute, path: '/tags', component: TagsPage }),
  createRoute({ getParentRoute: () => settingsRoute, path: '/vendors', component: VendorsPage }),
  createRoute({ getParentRoute: () => settingsRoute, path: '/inventory', component: InventorySettingsPage }),
  // DEV-1 money: the default currency, the ECB's reference rates and the tenant's manual rates.
  createRoute({ getParentRoute: () => settingsRoute, path: '/currency', component: CurrencySettingsPage }),
] as const;

const platformRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/platform',
  component: PlatformConsolePage,
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  signUpRoute,
  signedInRoute.addChildren([
    dashboardRoute,
    devicesRoute,
    importDevicesRoute,
    deviceRoute,
    employeesRoute,
    upcoming(upcomingPages.software),
    upcoming(upcomingPages.audit),
    upcoming(upcomingPages.store),
    myDevicesRoute,
    settingsRoute.addChildren([
      generalSettingsRoute,
      tenantsSettingsRoute,
      usersSettingsRoute,
      directorySettingsRoute,
      provisioningSettingsRoute,
      ...catalogSettingsRoutes,
    ]),
    platformRoute,
  ]),
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
