import {
  AppShell,
  Avatar,
  Burger,
  Button,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import {
  IconBuildingStore,
  IconBuildingWarehouse,
  IconChevronDown,
  IconHome,
  IconTrash,
  IconChartBar,
  IconCoins,
  IconLogout,
  IconSearch,
  IconSettings,
  IconSunHigh,
  IconUserCircle,
} from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useObjects } from '../api/records';
import { can, useSession, useSignOut, useSwitchWorkspace } from '../api/session';
import { LanguageMenu } from '../components/LanguageMenu';
import { NotificationBell } from '../components/NotificationBell';
import { SearchProvider, useOpenSearch } from '../components/SearchModal';
import { Logo } from '../components/Logo';
import { useErrorHandler } from '../lib/errors';
import { objectIcon } from '../pages/records/objectIcons';
import { visibleSettings } from './nav';

export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  // Below the `sm` breakpoint a closed navigation is off screen: keep it out of the tab order.
  const mobile = useMediaQuery('(max-width: 47.99em)');

  // On small screens the navigation is a drawer: close it after moving to another page.
  useEffect(() => close(), [pathname, close]);

  return (
    <SearchProvider>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 264, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding={{ base: 'sm', sm: 'lg' }}
      >
        <AppShell.Header>
          <Group
            h="100%"
            px={{ base: 'xs', sm: 'md' }}
            justify="space-between"
            wrap="nowrap"
            gap="xs"
          >
            <Group wrap="nowrap" gap="xs">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={opened ? t('nav.close') : t('nav.open')}
                aria-expanded={opened}
                aria-controls="sen-navbar"
              />
              <UnstyledButton component={Link} to="/" aria-label={t('nav.home')}>
                <Logo />
              </UnstyledButton>
            </Group>
            <GlobalSearch visibleFrom="sm" />
            <Group gap="xs" wrap="nowrap">
              <WorkspaceSwitcher visibleFrom="sm" />
              <NotificationBell />
              <LanguageMenu compact />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar
          p="sm"
          id="sen-navbar"
          aria-label={t('nav.label')}
          inert={mobile && !opened}
        >
          <AppShell.Section hiddenFrom="sm" mb="sm">
            <Stack gap="xs">
              <WorkspaceSwitcher fullWidth />
              <GlobalSearch />
            </Stack>
          </AppShell.Section>
          <AppShell.Section grow component={ScrollArea}>
            <MainNav />
          </AppShell.Section>
        </AppShell.Navbar>

        <AppShell.Main>
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </SearchProvider>
  );
}

function MainNav() {
  const { t, i18n } = useTranslation();
  const { pathname } = useLocation();
  const session = useSession();
  const sections = visibleSettings(session);
  const inSettings = pathname.startsWith('/settings');
  // One entry per record object the user may read (GET /objects), then the trash.
  const objects = useObjects().data ?? [];
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const records = [
    ...(can(session, 'activities', 'read')
      ? [{ to: '/my-day', label: t('activities.myDay.nav'), icon: IconSunHigh }]
      : []),
    ...objects.map((o) => ({ to: `/${o.key}`, label: o.label.many[lang], icon: objectIcon(o) })),
    ...(can(session, 'deals', 'read')
      ? [{ to: '/reports/sales', label: t('reports.nav'), icon: IconChartBar }]
      : []),
    ...(can(session, 'invoices', 'read')
      ? [{ to: '/reports/receivables', label: t('selling.receivables.title'), icon: IconCoins }]
      : []),
    ...(can(session, 'stock', 'read')
      ? [{ to: '/stock', label: t('nav.stock'), icon: IconBuildingWarehouse }]
      : []),
    ...(objects.length > 0 ? [{ to: '/trash', label: t('nav.trash'), icon: IconTrash }] : []),
  ];
  const [settingsOpen, setSettingsOpen] = useState(inSettings);
  useEffect(() => {
    if (inSettings) setSettingsOpen(true);
  }, [inSettings]);
  return (
    <Stack gap={2}>
      <NavLink
        component={Link}
        to="/"
        label={t('nav.home')}
        leftSection={<IconHome size={18} stroke={1.5} />}
        active={pathname === '/'}
        aria-current={pathname === '/' ? 'page' : undefined}
      />
      {records.map((r) => {
        const active = pathname === r.to || pathname.startsWith(`${r.to}/`);
        return (
          <NavLink
            key={r.to}
            component={Link}
            to={r.to}
            label={r.label}
            leftSection={<r.icon size={18} stroke={1.5} />}
            active={active}
            aria-current={active ? 'page' : undefined}
          />
        );
      })}
      <NavLink
        component="button"
        type="button"
        label={t('nav.settings')}
        leftSection={<IconSettings size={18} stroke={1.5} />}
        opened={settingsOpen}
        onChange={setSettingsOpen}
        aria-expanded={settingsOpen}
        childrenOffset={28}
      >
        {sections.map((s) => (
          <NavLink
            key={s.path}
            component={Link}
            to={s.path}
            label={t(s.labelKey)}
            leftSection={<s.icon size={16} stroke={1.5} />}
            active={pathname === s.path}
            aria-current={pathname === s.path ? 'page' : undefined}
          />
        ))}
      </NavLink>
    </Stack>
  );
}

/** Looks like a search box; opens the search modal (also Ctrl+K / Cmd+K). */
function GlobalSearch({ visibleFrom }: { visibleFrom?: 'sm' }) {
  const { t } = useTranslation();
  const open = useOpenSearch();
  return (
    <TextInput
      visibleFrom={visibleFrom}
      w={visibleFrom ? { sm: 240, md: 360 } : undefined}
      aria-label={t('search.open')}
      aria-haspopup="dialog"
      placeholder={t('search.placeholder')}
      leftSection={<IconSearch size={16} stroke={1.5} />}
      rightSection={
        <Text size="xs" c="dimmed" visibleFrom="md" aria-hidden>
          Ctrl K
        </Text>
      }
      rightSectionWidth={56}
      readOnly
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ' || e.key.length === 1) {
          e.preventDefault();
          open();
        }
      }}
      styles={{ input: { cursor: 'pointer' } }}
    />
  );
}

function WorkspaceSwitcher({
  visibleFrom,
  fullWidth,
}: {
  visibleFrom?: 'sm';
  fullWidth?: boolean;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const switchWs = useSwitchWorkspace();
  const onError = useErrorHandler();

  if (session.workspaces.length < 2) {
    return (
      <Text
        visibleFrom={visibleFrom}
        size="sm"
        fw={500}
        truncate
        maw={fullWidth ? undefined : 200}
        px={fullWidth ? 'xs' : undefined}
      >
        {session.workspace.name}
      </Text>
    );
  }

  return (
    <Menu position="bottom-end" width={280} withinPortal>
      <Menu.Target>
        <Button
          visibleFrom={visibleFrom}
          variant="default"
          fullWidth={fullWidth}
          justify={fullWidth ? 'space-between' : undefined}
          leftSection={<IconBuildingStore size={16} stroke={1.5} />}
          rightSection={<IconChevronDown size={14} />}
          loading={switchWs.isPending}
          aria-label={t('workspace.switcherLabel', { name: session.workspace.name })}
          maw={fullWidth ? undefined : 240}
        >
          <Text span size="sm" truncate>
            {session.workspace.name}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('workspace.switchTo')}</Menu.Label>
        <Menu.RadioGroup
          value={session.workspace.id}
          onChange={(id) => {
            if (id === session.workspace.id) return;
            switchWs.mutate(id, {
              onSuccess: () => void navigate('/'),
              onError: (err) => onError(err),
            });
          }}
        >
          {session.workspaces.map((w) => (
            <Menu.RadioItem key={w.id} value={w.id} closeMenuOnClick>
              <Stack gap={0}>
                <Text size="sm">{w.name}</Text>
                <Text size="xs" c="dimmed">
                  {w.roleName}
                </Text>
              </Stack>
            </Menu.RadioItem>
          ))}
        </Menu.RadioGroup>
      </Menu.Dropdown>
    </Menu>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase() || '?';
}

function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const signOut = useSignOut();
  return (
    <Menu position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('userMenu.label', { name: session.user.name })}>
          <Group gap={8} wrap="nowrap">
            <Avatar radius="xl" size={34} color="pink" aria-hidden>
              {initials(session.user.name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="md" truncate maw={160}>
              {session.user.name}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={500} c="var(--mantine-color-text)" truncate>
            {session.user.name}
          </Text>
          <Text size="xs" truncate>
            {session.user.email}
          </Text>
          <Text size="xs" truncate>
            {session.role.name} · {session.workspace.name}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item
          component={Link}
          to="/settings/profile"
          leftSection={<IconUserCircle size={16} stroke={1.5} />}
        >
          {t('settings.profile.title')}
        </Menu.Item>
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} stroke={1.5} />}
          onClick={() =>
            signOut.mutate(undefined, {
              onSettled: () => void navigate('/sign-in', { replace: true }),
            })
          }
        >
          {t('userMenu.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
