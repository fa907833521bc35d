import { ActionIcon, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';

/** An icon button at the end of a table row: a tooltip for sight, an aria-label for the row. */
export function RowAction({
  label,
  ariaLabel,
  color = 'gray',
  icon,
  onClick,
}: {
  label: string;
  ariaLabel: string;
  color?: 'gray' | 'red';
  icon: ReactNode;
  onClick: () => void;
}) {
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" color={color} onClick={onClick} aria-label={ariaLabel}>
        {icon}
      </ActionIcon>
    </Tooltip>
  );
}
