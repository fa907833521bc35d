import { ActionIcon, Button, Menu, Tooltip } from '@mantine/core';
import { IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useOptionalSession, useUpdateMe } from '../api/session';
import { isLocale, LOCALES, setLocale } from '../i18n';
import { useErrorHandler } from '../lib/errors';

/**
 * Switches the UI language. When signed in, the choice is remembered on the server for this
 * user; before sign-in it is remembered on this device only.
 */
export function LanguageMenu({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const session = useOptionalSession();
  const updateMe = useUpdateMe();
  const onError = useErrorHandler();

  const change = (value: string) => {
    if (!isLocale(value) || value === i18n.language) return;
    void setLocale(value);
    if (session) updateMe.mutate({ locale: value }, { onError: (err) => onError(err) });
  };

  const label = t('language.label');
  const current = t(`language.${i18n.language === 'en' ? 'en' : 'vi'}`);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        {compact ? (
          <Tooltip label={label}>
            <ActionIcon variant="default" size="lg" aria-label={label}>
              <IconLanguage size={18} stroke={1.5} />
            </ActionIcon>
          </Tooltip>
        ) : (
          <Button
            variant="subtle"
            color="gray"
            size="compact-sm"
            leftSection={<IconLanguage size={16} stroke={1.5} />}
            aria-label={`${label}: ${current}`}
          >
            {current}
          </Button>
        )}
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{label}</Menu.Label>
        <Menu.RadioGroup value={i18n.language} onChange={change}>
          {LOCALES.map((lng) => (
            <Menu.RadioItem key={lng} value={lng} lang={lng} closeMenuOnClick>
              {t(`language.${lng}`)}
            </Menu.RadioItem>
          ))}
        </Menu.RadioGroup>
      </Menu.Dropdown>
    </Menu>
  );
}
