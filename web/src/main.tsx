import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import 'dayjs/locale/vi';
import { i18nReady } from './i18n';
import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense, useMemo, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router/dom';
import { queryClient } from './api/queryClient';
import { prefetchSession } from './api/session';
import { createRouter } from './routes';
import { createSenTheme } from './theme';

const Toasts = lazy(() => import('./components/Toasts'));

function Providers({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  // Rebuilt when the language changes (the theme carries translated labels).
  const theme = useMemo(() => createSenTheme(t), [t, i18n.language]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Suspense fallback={null}>
        <Toasts />
      </Suspense>
      {/* Date pickers: Vietnamese month and day names, weeks start on Monday. */}
      <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'vi', firstDayOfWeek: 1 }}>
        {children}
      </DatesProvider>
    </MantineProvider>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');

// Every page asks who is signed in: ask now, before the router asks for the page's chunks (and
// before its loaders, which wait for the answer). index.html preloads the same request, so the
// answer is usually here already.
prefetchSession();
const router = createRouter();

// Rendered once the device's language is loaded (Vietnamese is in this bundle; English is a chunk).
void i18nReady.then(() =>
  createRoot(container).render(
    <StrictMode>
      <Providers>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </Providers>
    </StrictMode>,
  ),
);
