/**
 * The toasts' container (Mantine's Notifications, with its swipe and transitions), mounted by
 * main.tsx from its own chunk after the first page is shown: a toast raised before it is there
 * waits in the notifications store (lib/errors.tsx imports only the store).
 */
import { Notifications } from '@mantine/notifications';

export default function Toasts() {
  return <Notifications position="top-right" />;
}
