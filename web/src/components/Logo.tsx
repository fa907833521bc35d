import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconFlower } from '@tabler/icons-react';

export function Logo({ size = 'lg' }: { size?: 'md' | 'lg' | 'xl' }) {
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon radius="xl" size={size} variant="filled" aria-hidden>
        <IconFlower size={18} stroke={1.8} />
      </ThemeIcon>
      <Text fw={700} size={size} component="span">
        Sen
      </Text>
    </Group>
  );
}
