import { Checkbox, NativeSelect, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CSSProperties } from 'react';
import type { Action, PermissionEntry, PermissionObject, Permissions, Scope } from '../api/types';
import { ACTIONS, SCOPES } from '../api/types';
import { actionLabel, useObjectLabel } from '../lib/labels';

export const emptyEntry = (): PermissionEntry => ({
  read: false,
  create: false,
  update: false,
  delete: false,
  export: false,
  import: false,
  approve: false,
  scope: 'own',
});

/** A full permission set for the given objects, taking what `from` already grants. */
export function normalizePermissions(
  objects: PermissionObject[],
  from: Permissions = {},
): Permissions {
  const out: Permissions = {};
  for (const o of objects) out[o.key] = { ...emptyEntry(), ...from[o.key] };
  return out;
}

/** The object column stays in view while the matrix scrolls sideways on a phone. */
export const stickyCell: CSSProperties = {
  position: 'sticky',
  left: 0,
  zIndex: 1,
  background: 'var(--mantine-color-body)',
};

/**
 * Rows = permission objects, columns = actions (a checkbox where the object supports the
 * action) and the record scope for objects that have per-record visibility.
 */
export function PermissionMatrix({
  objects,
  value,
  onChange,
  readOnly = false,
}: {
  objects: PermissionObject[];
  value: Permissions;
  onChange?: (next: Permissions) => void;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const objectLabel = useObjectLabel();

  const set = (key: string, patch: Partial<PermissionEntry>) => {
    const current = value[key] ?? emptyEntry();
    let next = { ...current, ...patch };
    // Doing anything with a record implies seeing it; not seeing it takes everything away.
    if (patch.read === false) next = { ...emptyEntry(), scope: current.scope };
    else if (Object.entries(patch).some(([k, v]) => k !== 'scope' && k !== 'read' && v === true)) {
      next.read = true;
    }
    onChange?.({ ...value, [key]: next });
  };

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped withTableBorder verticalSpacing={6} aria-label={t('settings.roles.matrix')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th style={stickyCell}>{t('settings.roles.object')}</Table.Th>
            {ACTIONS.map((a) => (
              <Table.Th key={a} ta="center">
                {actionLabel(t, a)}
              </Table.Th>
            ))}
            <Table.Th>{t('settings.roles.scope')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {objects.map((o) => {
            const entry = value[o.key] ?? emptyEntry();
            const label = objectLabel(o.key, 'many');
            return (
              <Table.Tr key={o.key}>
                <Table.Th scope="row" fw={500} style={stickyCell}>
                  {label}
                </Table.Th>
                {ACTIONS.map((a: Action) => (
                  <Table.Td key={a} ta="center">
                    {o.actions.includes(a) ? (
                      <Checkbox
                        display="inline-flex"
                        style={{ verticalAlign: 'middle' }}
                        checked={entry[a]}
                        disabled={readOnly}
                        onChange={(e) => set(o.key, { [a]: e.currentTarget.checked })}
                        aria-label={t('settings.roles.cellLabel', {
                          object: label,
                          action: actionLabel(t, a),
                        })}
                      />
                    ) : (
                      <Text span c="dimmed" size="sm" aria-hidden>
                        —
                      </Text>
                    )}
                  </Table.Td>
                ))}
                <Table.Td>
                  {o.scoped ? (
                    <NativeSelect
                      size="xs"
                      value={entry.scope}
                      disabled={readOnly || !entry.read}
                      aria-label={t('settings.roles.scopeLabel', { object: label })}
                      data={SCOPES.map((s) => ({
                        value: s,
                        label: t(`settings.roles.scopes.${s}`),
                      }))}
                      onChange={(e) => set(o.key, { scope: e.currentTarget.value as Scope })}
                    />
                  ) : (
                    <>
                      <Text span c="dimmed" size="sm" aria-hidden>
                        —
                      </Text>
                      <VisuallyHidden>{t('settings.roles.notScoped')}</VisuallyHidden>
                    </>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
