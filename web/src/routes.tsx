import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { RequireAuth } from './layout/RequireAuth';
import { AcceptInvitePage } from './pages/auth/AcceptInvitePage';
import { SetupPage } from './pages/auth/SetupPage';
import { SignInPage } from './pages/auth/SignInPage';
import { HomePage } from './pages/HomePage';
import { ObjectRoute } from './pages/records/ObjectRoute';
import { RecordPage } from './pages/records/RecordPage';
import { RecordsPage } from './pages/records/RecordsPage';
import { TrashPage } from './pages/records/TrashPage';
import { CustomFieldsPage } from './pages/settings/CustomFieldsPage';
import { OptionListsPage } from './pages/settings/OptionListsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RouteError } from './pages/RouteError';
import { ApiKeysPage } from './pages/settings/ApiKeysPage';
import { AuditLogPage } from './pages/settings/AuditLogPage';
import { ProfilePage } from './pages/settings/ProfilePage';
import { RolesPage } from './pages/settings/RolesPage';
import { TeamsPage } from './pages/settings/TeamsPage';
import { UsersPage } from './pages/settings/UsersPage';
import { WorkspacePage } from './pages/settings/WorkspacePage';

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/setup', element: <SetupPage /> },
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/invite/:token', element: <AcceptInvitePage /> },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { index: true, element: <HomePage /> },
              // Every record object the server declares (GET /objects), by its key.
              { path: ':object', element: <ObjectRoute page={RecordsPage} /> },
              { path: ':object/:id', element: <ObjectRoute page={RecordPage} /> },
              { path: 'trash', element: <TrashPage /> },
              {
                path: 'settings',
                children: [
                  { index: true, element: <Navigate to="profile" replace /> },
                  {
                    path: 'profile',
                    element: <ProfilePage />,
                  },
                  {
                    path: 'workspace',
                    element: <WorkspacePage />,
                  },
                  {
                    path: 'users',
                    element: <UsersPage />,
                  },
                  {
                    path: 'teams',
                    element: <TeamsPage />,
                  },
                  {
                    path: 'roles',
                    element: <RolesPage />,
                  },
                  {
                    path: 'custom-fields',
                    element: <CustomFieldsPage />,
                  },
                  {
                    path: 'option-lists',
                    element: <OptionListsPage />,
                  },
                  {
                    path: 'api-keys',
                    element: <ApiKeysPage />,
                  },
                  {
                    path: 'audit-log',
                    element: <AuditLogPage />,
                  },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
