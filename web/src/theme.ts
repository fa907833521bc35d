import {
  createTheme,
  type MantineThemeOverride,
  type ModalProps,
  type MultiSelectProps,
  type NotificationProps,
  type PasswordInputProps,
  type SelectProps,
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
    // Plain objects, not `Select.extend(…)`: `.extend` is a static of the component, and importing
    // Select, MultiSelect and Modal here put them (with the combobox and its popover) into the first
    // page's bundle. `satisfies` keeps the props checked.
    components: {
      PasswordInput: {
        defaultProps: {
          visibilityToggleButtonProps: { 'aria-label': t('common.showPassword') },
        } satisfies Partial<PasswordInputProps>,
      },
      Modal: {
        defaultProps: {
          closeButtonProps: { 'aria-label': t('common.close') },
        } satisfies Partial<ModalProps>,
      },
      Notification: {
        defaultProps: {
          closeButtonProps: { 'aria-label': t('common.dismiss') },
        } satisfies Partial<NotificationProps>,
      },
      Select: {
        defaultProps: {
          clearButtonProps: { 'aria-label': t('common.clear') },
          nothingFoundMessage: t('common.nothingFound'),
        } satisfies Partial<SelectProps>,
      },
      MultiSelect: {
        defaultProps: {
          clearButtonProps: { 'aria-label': t('common.clear') },
        } satisfies Partial<MultiSelectProps>,
      },
    },
  });
}
