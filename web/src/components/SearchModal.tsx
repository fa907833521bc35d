/**
 * Global search (Ctrl+K / Cmd+K, or the top-bar box): a modal with one input and a results list
 * driven by `GET /api/v1/search`. Arrow keys move, Enter opens, Escape closes.
 */
import { useHotkeys } from '@mantine/hooks';
import {
  createContext,
  lazy,
  Suspense,
  useContext,
  useMemo,
  useState,
  type ReactNode,
} from 'react';

/** The modal is its own chunk, loaded when search is first opened (not with every page). */
const SearchDialog = lazy(() =>
  import('./SearchDialog').then((m) => ({ default: m.SearchDialog })),
);

const SearchContext = createContext<{ open: () => void }>({ open: () => {} });

export function useOpenSearch(): () => void {
  return useContext(SearchContext).open;
}

export function SearchProvider({ children }: { children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  // Mounted from the first opening on, so that closing keeps its transition.
  const [used, setUsed] = useState(false);
  if (opened && !used) setUsed(true);
  useHotkeys(
    [
      ['mod+K', () => setOpened(true)],
      ['ctrl+K', () => setOpened(true)],
    ],
    [],
  );
  const value = useMemo(() => ({ open: () => setOpened(true) }), []);
  return (
    <SearchContext.Provider value={value}>
      {children}
      {used && (
        <Suspense fallback={null}>
          <SearchDialog opened={opened} onClose={() => setOpened(false)} />
        </Suspense>
      )}
    </SearchContext.Provider>
  );
}
