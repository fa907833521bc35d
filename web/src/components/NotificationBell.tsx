import {
  ActionIcon,
  Box,
  Button,
  Group,
  Indicator,
  Loader,
  Popover,
  ScrollArea,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  useMarkRead,
  useLiveUnreadCount,
  useNotifications,
  useUnreadCount,
  type NotificationItem,
} from '../api/notifications';
import { useFormat } from '../lib/format';
import { useErrorHandler } from '../lib/errors';

/**
 * The bell in the header: the unread count (pushed live by the server, see useLiveUnreadCount)
 * and, on click, the newest notifications; a notification about a record the member may
 * open links to it and is marked read on the way.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  useLiveUnreadCount();
  const unread = useUnreadCount().data ?? 0;
  const label =
    unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      width={360}
      shadow="md"
      withinPortal
      trapFocus
    >
      <Popover.Target>
        <Tooltip label={label} disabled={opened}>
          <Indicator
            label={unread > 99 ? '99+' : unread}
            size={16}
            disabled={unread === 0}
            color="red"
            offset={4}
          >
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={label}
              aria-expanded={opened}
              onClick={() => setOpened((o) => !o)}
            >
              <IconBell size={18} stroke={1.5} />
            </ActionIcon>
          </Indicator>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p={0}>
        {opened && <NotificationList unread={unread} close={() => setOpened(false)} />}
      </Popover.Dropdown>
    </Popover>
  );
}

function NotificationList({ unread, close }: { unread: number; close: () => void }) {
  const { t, i18n } = useTranslation();
  const list = useNotifications(i18n.language);
  const markRead = useMarkRead();
  const onError = useErrorHandler();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap={0}>
      <Group justify="space-between" px="md" py="xs">
        <Text fw={600}>{t('notifications.title')}</Text>
        <Button
          variant="subtle"
          size="compact-sm"
          disabled={unread === 0}
          loading={markRead.isPending && markRead.variables === null}
          onClick={() => markRead.mutate(null, { onError: (e) => onError(e) })}
        >
          {t('notifications.markAllRead')}
        </Button>
      </Group>
      <ScrollArea.Autosize mah={420}>
        {list.isPending ? (
          <Group justify="center" p="md">
            <Loader size="sm" />
          </Group>
        ) : list.isError ? (
          <Text c="red" size="sm" p="md">
            {t('notifications.loadFailed')}
          </Text>
        ) : items.length === 0 ? (
          <Text c="dimmed" size="sm" p="md" ta="center">
            {t('notifications.empty')}
          </Text>
        ) : (
          <Stack gap={0} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {items.map((n) => (
              <li key={n.id}>
                <NotificationRow
                  item={n}
                  onOpen={() => {
                    if (!n.readAt) markRead.mutate(n.id, { onError: (e) => onError(e) });
                    close();
                  }}
                />
              </li>
            ))}
          </Stack>
        )}
        {list.hasNextPage && (
          <Group justify="center" p="xs">
            <Button
              variant="subtle"
              size="compact-sm"
              loading={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              {t('notifications.more')}
            </Button>
          </Group>
        )}
      </ScrollArea.Autosize>
    </Stack>
  );
}

function NotificationRow({ item, onOpen }: { item: NotificationItem; onOpen: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const markRead = useMarkRead();
  const target =
    item.record?.available === true
      ? `/${item.record.object}/${encodeURIComponent(item.record.id)}`
      : null;
  const unread = item.readAt === null;
  const body = (
    <Group gap="sm" wrap="nowrap" align="flex-start">
      <Box
        mt={6}
        w={8}
        h={8}
        style={{
          borderRadius: '50%',
          flexShrink: 0,
          background: unread ? 'var(--mantine-color-blue-6)' : 'transparent',
        }}
        aria-hidden
      />
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Text size="sm" fw={unread ? 600 : 400} style={{ overflowWrap: 'anywhere' }}>
          {item.text}
        </Text>
        <Text size="xs" c="dimmed">
          {fmt.relative(item.createdAt)}
          {unread ? ` · ${t('notifications.unread')}` : ''}
        </Text>
      </Stack>
    </Group>
  );
  return (
    <UnstyledButton
      w="100%"
      px="md"
      py="xs"
      style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
      onClick={() => {
        if (target) {
          onOpen();
          void navigate(target);
        } else if (unread) {
          markRead.mutate(item.id);
        }
      }}
    >
      {body}
    </UnstyledButton>
  );
}
