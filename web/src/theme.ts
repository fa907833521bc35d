import {
  createTheme,
  Modal,
  MultiSelect,
  Notification,
  PasswordInput,
  Select,
  type MantineThemeOverride,
} from '@mantine/core';
import type { TFunction } from 'i18next';

const base: MantineThemeOverride = {
  primaryColor: 'pink',
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'md',
  fontFamily:
    'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji"',
};

/**
 * The theme, with accessible names for Mantine's icon-only buttons (close, clear, show password)
 * in the current UI language.
 */
export function createSenTheme(t: TFunction) {
  return createTheme({
    ...base,
    components: {
      PasswordInput: PasswordInput.extend({
        defaultProps: { visibilityToggleButtonProps: { 'aria-label': t('common.showPassword') } },
      }),
      Modal: Modal.extend({
        defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } },
      }),
      Notification: Notification.extend({
        defaultProps: { closeButtonProps: { 'aria-label': t('common.dismiss') } },
      }),
      Select: Select.extend({
        defaultProps: {
          clearButtonProps: { 'aria-label': t('common.clear') },
          nothingFoundMessage: t('common.nothingFound'),
        },
      }),
      MultiSelect: MultiSelect.extend({
        defaultProps: { clearButtonProps: { 'aria-label': t('common.clear') } },
      }),
    },
  });
}
