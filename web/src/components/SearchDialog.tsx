/** The search modal (SearchModal.tsx loads it the first time search is opened). */
import { Badge, Group, Loader, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSearch, type SearchHit } from '../api/records';

function hitPath(hit: SearchHit): string {
  return `/${hit.type}/${encodeURIComponent(hit.id)}`;
}

export function SearchDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 150);
  const [active, setActive] = useState(0);
  const search = useSearch(opened ? debounced : '', { limit: 20 });
  const hits = useMemo(
    () => (debounced.trim() ? (search.data ?? []) : []),
    [debounced, search.data],
  );

  useEffect(() => setActive(0), [debounced]);
  useEffect(() => {
    if (!opened) setQ('');
  }, [opened]);

  const go = (hit: SearchHit | undefined) => {
    if (!hit) return;
    onClose();
    void navigate(hitPath(hit));
  };

  const listId = 'sen-search-results';
  const optionId = (i: number) => `sen-search-option-${i}`;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('search.title')}
      size="lg"
      yOffset="10vh"
      withCloseButton
    >
      <Stack gap="xs">
        <TextInput
          data-autofocus
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          leftSection={<IconSearch size={16} />}
          rightSection={search.isFetching ? <Loader size="xs" /> : null}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={hits.length > 0 ? optionId(active) : undefined}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((i) => Math.min(hits.length - 1, i + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => Math.max(0, i - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              go(hits[active]);
            }
          }}
        />
        <Stack gap={2} role="listbox" id={listId} aria-label={t('search.results')}>
          {hits.map((hit, i) => (
            <UnstyledButton
              key={`${hit.type}-${hit.id}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              tabIndex={-1}
              onMouseEnter={() => setActive(i)}
              onClick={() => go(hit)}
              p="xs"
              style={{
                borderRadius: 'var(--mantine-radius-sm)',
                background: i === active ? 'var(--mantine-primary-color-light)' : undefined,
              }}
            >
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} truncate>
                    {hit.title}
                  </Text>
                  {hit.subtitle && (
                    <Text size="xs" c="dimmed" truncate>
                      {hit.subtitle}
                    </Text>
                  )}
                </Stack>
                <Badge size="xs" variant="light">
                  {t(`search.types.${hit.type}`, { defaultValue: hit.type })}
                </Badge>
              </Group>
            </UnstyledButton>
          ))}
          {debounced.trim() && !search.isFetching && hits.length === 0 && (
            <Text size="sm" c="dimmed" p="xs">
              {t('search.noResults')}
            </Text>
          )}
          {!debounced.trim() && (
            <Text size="xs" c="dimmed" p="xs">
              {t('search.hint')}
            </Text>
          )}
        </Stack>
      </Stack>
    </Modal>
  );
}
