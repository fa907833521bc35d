import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, Outlet, type RouteObject } from 'react-router';
import { FullPageLoader } from './components/PageStates';
import { RouteProgress } from './components/RouteProgress';
import { RequireAuth } from './layout/RequireAuth';
import type { ObjectMeta } from './api/records';
import { recordsLoader } from './pages/records/loader';
import { RouteError } from './pages/RouteError';

/**
 * Every page is its own chunk (route `lazy`), so the first page loads only what it needs: the
 * sign-in page does not carry the records table or the settings. The router loads a page's chunk
 * before it shows the page: on the first load the full-page loader (the same as while the session
 * loads), on a move between pages the current page stays with a thin bar at the top.
 */
function page<M>(load: () => Promise<M>, pick: (m: M) => ComponentType): RouteObject['lazy'] {
  return async () => ({ Component: pick(await load()) });
}

/** `/:object` and `/:object/:id`: the object's page inside ObjectRoute (both in the page's chunk). */
function objectPage(load: () => Promise<ComponentType<{ meta: ObjectMeta }>>) {
  return async () => {
    const [{ ObjectRoute }, Page] = await Promise.all([
      import('./pages/records/ObjectRoute'),
      load(),
    ]);
    return () => <ObjectRoute page={Page} />;
  };
}

function Root() {
  return (
    <>
      <RouteProgress />
      <Outlet />
    </>
  );
}

const routes: RouteObject[] = [
  {
    Component: Root,
    errorElement: <RouteError />,
    hydrateFallbackElement: <FullPageLoader />,
    children: [
      {
        path: '/setup',
        lazy: page(
          () => import('./pages/auth/SetupPage'),
          (m) => m.SetupPage,
        ),
      },
      {
        path: '/sign-in',
        lazy: page(
          () => import('./pages/auth/SignInPage'),
          (m) => m.SignInPage,
        ),
      },
      {
        path: '/invite/:token',
        lazy: page(
          () => import('./pages/auth/AcceptInvitePage'),
          (m) => m.AcceptInvitePage,
        ),
      },
      {
        element: <RequireAuth />,
        children: [
          {
            lazy: page(
              () => import('./layout/AppLayout'),
              (m) => m.AppLayout,
            ),
            children: [
              {
                index: true,
                lazy: page(
                  () => import('./pages/HomePage'),
                  (m) => m.HomePage,
                ),
              },
              // Every record object the server declares (GET /objects), by its key. The list's
              // loader asks for its data at once, while the page's chunks load.
              {
                path: ':object',
                loader: recordsLoader,
                lazy: {
                  Component: objectPage(() =>
                    import('./pages/records/RecordsPage').then((m) => m.RecordsPage),
                  ),
                },
                // Not again for a new filter or layout of the same list (the page's own).
                shouldRevalidate: ({ currentParams, nextParams }) =>
                  currentParams.object !== nextParams.object,
              },
              {
                path: ':object/:id',
                lazy: {
                  Component: objectPage(() =>
                    import('./pages/records/RecordPage').then((m) => m.RecordPage),
                  ),
                },
              },
              // An object's import wizard and its import history (issue #18).
              {
                path: ':object/import',
                lazy: {
                  Component: objectPage(() =>
                    import('./pages/imports/ImportPage').then((m) => m.ImportPage),
                  ),
                },
              },
              // Possible duplicates of an object and the merge dialog (issue #18).
              {
                path: ':object/duplicates',
                lazy: {
                  Component: objectPage(() =>
                    import('./pages/records/DuplicatesPage').then((m) => m.DuplicatesPage),
                  ),
                },
              },
              {
                path: ':object/imports',
                lazy: {
                  Component: objectPage(() =>
                    import('./pages/imports/ImportHistoryPage').then((m) => m.ImportHistoryPage),
                  ),
                },
              },
              // Forecast and sales reports (issue #19): charts only load with this page.
              {
                path: 'reports/sales',
                lazy: page(
                  () => import('./pages/reports/SalesReportPage'),
                  (m) => m.SalesReportPage,
                ),
              },
              // Receivables: what customers owe, by age (issue #20).
              {
                path: 'reports/receivables',
                lazy: page(
                  () => import('./pages/reports/ReceivablesPage'),
                  (m) => m.ReceivablesPage,
                ),
              },
              // My day: my open tasks, calls and meetings (issue #21).
              {
                path: 'my-day',
                lazy: page(
                  () => import('./pages/activities/MyDayPage'),
                  (m) => m.MyDayPage,
                ),
              },
              // Stock per warehouse (issue #20).
              {
                path: 'stock',
                lazy: page(
                  () => import('./pages/stock/StockPage'),
                  (m) => m.StockPage,
                ),
              },
              {
                path: 'trash',
                lazy: page(
                  () => import('./pages/records/TrashPage'),
                  (m) => m.TrashPage,
                ),
              },
              {
                path: 'settings',
                children: [
                  { index: true, element: <Navigate to="profile" replace /> },
                  {
                    path: 'profile',
                    lazy: page(
                      () => import('./pages/settings/ProfilePage'),
                      (m) => m.ProfilePage,
                    ),
                  },
                  {
                    path: 'workspace',
                    lazy: page(
                      () => import('./pages/settings/WorkspacePage'),
                      (m) => m.WorkspacePage,
                    ),
                  },
                  {
                    path: 'users',
                    lazy: page(
                      () => import('./pages/settings/UsersPage'),
                      (m) => m.UsersPage,
                    ),
                  },
                  {
                    path: 'teams',
                    lazy: page(
                      () => import('./pages/settings/TeamsPage'),
                      (m) => m.TeamsPage,
                    ),
                  },
                  {
                    path: 'roles',
                    lazy: page(
                      () => import('./pages/settings/RolesPage'),
                      (m) => m.RolesPage,
                    ),
                  },
                  {
                    path: 'custom-fields',
                    lazy: page(
                      () => import('./pages/settings/CustomFieldsPage'),
                      (m) => m.CustomFieldsPage,
                    ),
                  },
                  {
                    path: 'option-lists',
                    lazy: page(
                      () => import('./pages/settings/OptionListsPage'),
                      (m) => m.OptionListsPage,
                    ),
                  },
                  {
                    path: 'assignment',
                    lazy: page(
                      () => import('./pages/settings/AssignmentPage'),
                      (m) => m.AssignmentPage,
                    ),
                  },
                  {
                    path: 'scoring',
                    lazy: page(
                      () => import('./pages/settings/ScoringPage'),
                      (m) => m.ScoringPage,
                    ),
                  },
                  {
                    path: 'lead-forms',
                    lazy: page(
                      () => import('./pages/settings/LeadFormsPage'),
                      (m) => m.LeadFormsPage,
                    ),
                  },
                  {
                    path: 'pipelines',
                    lazy: page(
                      () => import('./pages/settings/PipelinesPage'),
                      (m) => m.PipelinesPage,
                    ),
                  },
                  {
                    path: 'price-lists',
                    lazy: page(
                      () => import('./pages/settings/PriceListsPage'),
                      (m) => m.PriceListsPage,
                    ),
                  },
                  {
                    path: 'numbering',
                    lazy: page(
                      () => import('./pages/settings/NumberingPage'),
                      (m) => m.NumberingPage,
                    ),
                  },
                  {
                    path: 'discount-limits',
                    lazy: page(
                      () => import('./pages/settings/DiscountLimitsPage'),
                      (m) => m.DiscountLimitsPage,
                    ),
                  },
                  {
                    path: 'company-profile',
                    lazy: page(
                      () => import('./pages/settings/CompanyProfilePage'),
                      (m) => m.CompanyProfilePage,
                    ),
                  },
                  {
                    path: 'api-keys',
                    lazy: page(
                      () => import('./pages/settings/ApiKeysPage'),
                      (m) => m.ApiKeysPage,
                    ),
                  },
                  {
                    path: 'audit-log',
                    lazy: page(
                      () => import('./pages/settings/AuditLogPage'),
                      (m) => m.AuditLogPage,
                    ),
                  },
                ],
              },
              {
                path: '*',
                lazy: page(
                  () => import('./pages/NotFoundPage'),
                  (m) => m.NotFoundPage,
                ),
              },
            ],
          },
        ],
      },
    ],
  },
];

/**
 * Called once by main.tsx, after it has asked for the session: creating the router starts
 * loading the first page's chunks (and its loader's requests).
 */
export const createRouter = () => createBrowserRouter(routes);
