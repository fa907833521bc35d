import type { ComponentType } from 'react';
import { useParams } from 'react-router';
import { useObjects, type ObjectMeta } from '../../api/records';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { NotFoundPage } from '../NotFoundPage';

/**
 * `/:object` and `/:object/:id`: the page of any record object the server declares and the
 * user may read (GET /objects); any other segment is a 404.
 */
export function ObjectRoute({ page: Page }: { page: ComponentType<{ meta: ObjectMeta }> }) {
  const { object = '' } = useParams();
  const objects = useObjects();
  if (objects.isPending) return <InlineLoader />;
  if (objects.isError) {
    return <QueryError error={objects.error} onRetry={() => void objects.refetch()} />;
  }
  const meta = objects.data.find((o) => o.key === object);
  return meta ? <Page key={meta.key} meta={meta} /> : <NotFoundPage />;
}
