import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigation } from 'react-router';
import classes from './RouteProgress.module.css';

/** Waits this long before showing the bar, so that a page already loaded shows none. */
const DELAY_MS = 150;

/**
 * While the router loads the next page (its code chunk), the current page stays and a thin bar
 * runs along the top of the window: no blank screen and no layout jump.
 */
export function RouteProgress() {
  const { t } = useTranslation();
  const loading = useNavigation().state === 'loading';
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!loading) {
      setShown(false);
      return;
    }
    const timer = window.setTimeout(() => setShown(true), DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [loading]);
  if (!shown) return null;
  return <div className={classes.bar} role="progressbar" aria-label={t('common.loading')} />;
}
