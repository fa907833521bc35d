/**
 * What an object's list shows while it has no record at all (no filter, no search): the two ways
 * to start, adding one record or importing a list (the import wizard, issue #18), each offered
 * only to a user who may do it.
 */
import { Button, Group, Stack, Text } from '@mantine/core';
import { IconFileImport, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ObjectMeta } from '../../api/records';
import { useCan } from '../../api/session';
import { useObjectText } from './objectUi';

export function EmptyList({ meta, onCreate }: { meta: ObjectMeta; onCreate: () => void }) {
  const { t } = useTranslation();
  const text = useObjectText(meta);
  const canCreate = useCan(meta.key, 'create');
  const canImport = useCan(meta.key, 'import');
  return (
    <Stack align="center" gap="sm" py="md" data-empty-list>
      <Text c="dimmed" size="sm" ta="center">
        {t('imports.empty', { many: text.title.toLocaleLowerCase() })}
      </Text>
      {(canCreate || canImport) && (
        <Group gap="xs" justify="center">
          {canCreate && (
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={onCreate}>
              {t('imports.emptyAdd', { one: text.one })}
            </Button>
          )}
          {canImport && (
            <Button
              component={Link}
              to={`/${meta.key}/import`}
              variant="light"
              leftSection={<IconFileImport size={16} />}
            >
              {t('imports.emptyImport')}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}
