/**
 * The deals object's record page panels (registered in objectUi.tsx, placed by the deals
 * declaration's `presentation.panels`): the path through the pipeline's stages with won / lost,
 * and the deal's contacts with their roles.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconCheck, IconRotate, IconUnlink, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { recordKeys, useFields, useUpdateRecord, type FieldMeta } from '../../api/records';
import type { Items } from '../../api/types';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { choicesOf } from './fields';
import { RecordPicker } from './inputs';
import type { PanelProps } from './panels';

/**
 * Where the deal is: its pipeline's stages in order (click one to move there, as on the board),
 * and its outcome — mark it won or lost (lost asks why, from the workspace's list), or reopen.
 */
export function DealPath({ record, canUpdate }: PanelProps) {
  const { t, i18n } = useTranslation();
  const fields = useFields('deals').data ?? [];
  const update = useUpdateRecord('deals');
  const onError = useErrorHandler();
  const [closing, setClosing] = useState<'won' | 'lost' | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const field = (key: string) => fields.find((f) => f.key === key);
  const stageField = field('stageId');
  const stages = (stageField?.options ?? []).filter((o) => o.scope === record.pipelineId);
  const current = stages.findIndex((s) => s.key === record.stageId);
  const status = String(record.status);
  const open = status === 'open';

  const save = (input: Record<string, unknown>, done?: string) =>
    update.mutate(
      { id: record.id, input, version: record.version },
      {
        onSuccess: () => {
          if (done) notifySuccess(done);
          setClosing(null);
          setReason(null);
        },
        onError: (err) => onError(err),
      },
    );

  const reasonField: FieldMeta | undefined = closing ? field(`${closing}Reason`) : undefined;
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="deal-path">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="deal-path">
          {t('deals.path.title')}
        </Title>
        {!open && (
          <Badge color={status === 'won' ? 'green' : 'gray'} size="lg">
            {t(`deals.status.${status}`)}
          </Badge>
        )}
      </Group>
      <Group gap={4} wrap="wrap" role="list" aria-label={t('deals.path.stages')}>
        {stages.map((s, i) => {
          const here = i === current;
          const passed = i < current;
          return (
            <UnstyledButton
              key={s.key}
              role="listitem"
              aria-current={here ? 'step' : undefined}
              disabled={!canUpdate || !open || here || update.isPending}
              onClick={() => save({ stageId: s.key })}
              px="sm"
              py={4}
              style={{
                borderRadius: 'var(--mantine-radius-sm)',
                fontSize: 'var(--mantine-font-size-sm)',
                fontWeight: here ? 600 : 400,
                background: here
                  ? 'var(--mantine-primary-color-filled)'
                  : passed
                    ? 'var(--mantine-primary-color-light)'
                    : 'var(--mantine-color-default-hover)',
                color: here ? 'var(--mantine-color-white)' : undefined,
                cursor: canUpdate && open && !here ? 'pointer' : 'default',
              }}
            >
              {s.label[i18n.language === 'en' ? 'en' : 'vi']}
            </UnstyledButton>
          );
        })}
      </Group>
      {canUpdate && (
        <Group gap="xs" mt="md">
          {open ? (
            <>
              <Button
                size="xs"
                color="green"
                leftSection={<IconCheck size={14} />}
                onClick={() => setClosing('won')}
              >
                {t('deals.path.markWon')}
              </Button>
              <Button
                size="xs"
                color="gray"
                variant="light"
                leftSection={<IconX size={14} />}
                onClick={() => setClosing('lost')}
              >
                {t('deals.path.markLost')}
              </Button>
            </>
          ) : (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconRotate size={14} />}
              loading={update.isPending}
              onClick={() => save({ status: 'open' }, t('deals.path.reopened'))}
            >
              {t('deals.path.reopen')}
            </Button>
          )}
        </Group>
      )}
      <Modal
        opened={closing !== null}
        onClose={() => setClosing(null)}
        title={closing === 'won' ? t('deals.path.markWon') : t('deals.path.markLost')}
      >
        <Stack>
          {reasonField && (
            <Select
              label={reasonField.label[i18n.language === 'en' ? 'en' : 'vi']}
              required={closing === 'lost'}
              data={choicesOf(t, reasonField, i18n.language).filter((c) => !c.archived)}
              value={reason}
              onChange={setReason}
              comboboxProps={{ withinPortal: false }}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setClosing(null)}>
              {t('common.cancel')}
            </Button>
            <Button
              color={closing === 'won' ? 'green' : 'gray'}
              loading={update.isPending}
              disabled={closing === 'lost' && !reason}
              onClick={() =>
                closing &&
                save(
                  { status: closing, [`${closing}Reason`]: reason },
                  closing === 'won' ? t('deals.path.wonDone') : t('deals.path.lostDone'),
                )
              }
            >
              {closing === 'won' ? t('deals.path.confirmWon') : t('deals.path.confirmLost')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

interface DealContactLink {
  contactId: string;
  name: string;
  role: string | null;
  isPrimary: boolean;
}

/** A deal's contacts with their role in it; link and unlink (the deal_contacts relation). */
export function DealContacts({ record, canUpdate }: PanelProps) {
  const dealId = record.id;
  const { t } = useTranslation();
  const qc = useQueryClient();
  const onError = useErrorHandler();
  const path = `/deals/${encodeURIComponent(dealId)}/contacts`;
  const links = useQuery({
    queryKey: recordKeys.related('deals', dealId),
    queryFn: () => api.get<Items<DealContactLink>>(path),
    select: (d) => d.items,
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: recordKeys.all('deals') });
    void qc.invalidateQueries({ queryKey: recordKeys.all('contacts') });
  };
  const link = useMutation({
    mutationFn: (input: { contactId: string; role: string | null }) => api.post(path, input),
    onSuccess: refresh,
  });
  const unlink = useMutation({
    mutationFn: (contactId: string) => api.delete(`${path}/${encodeURIComponent(contactId)}`),
    onSuccess: refresh,
  });
  const [contactId, setContactId] = useState<string | null>(null);
  const [role, setRole] = useState('');
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="deal-contacts">
      <Title order={2} size="h4" mb="sm" id="deal-contacts">
        {t('deals.contacts.title')}
      </Title>
      {links.isPending && <InlineLoader />}
      {links.isError && <QueryError error={links.error} />}
      <Stack gap="xs">
        {(links.data ?? []).map((l) => (
          <Group key={l.contactId} justify="space-between" wrap="nowrap">
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/contacts/${l.contactId}`} size="sm" truncate>
                {l.name}
              </Anchor>
              <Text size="xs" c="dimmed">
                {[l.role, l.isPrimary ? t('records.related.primary') : null]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </Stack>
            {canUpdate && (
              <Button
                size="compact-xs"
                variant="subtle"
                color="gray"
                leftSection={<IconUnlink size={12} />}
                onClick={() => unlink.mutate(l.contactId, { onError: (e) => onError(e) })}
                aria-label={t('records.related.unlink', { name: l.name })}
              >
                {t('records.related.unlinkShort')}
              </Button>
            )}
          </Group>
        ))}
        {links.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('deals.contacts.none')}
          </Text>
        )}
        {canUpdate && (
          <Group align="flex-end" gap="xs" wrap="wrap">
            <div style={{ flex: 2, minWidth: 180 }}>
              <RecordPicker
                label={t('deals.contacts.add')}
                types="contacts"
                value={contactId}
                onChange={setContactId}
              />
            </div>
            <TextInput
              style={{ flex: 1, minWidth: 140 }}
              label={t('deals.contacts.role')}
              placeholder={t('deals.contacts.rolePlaceholder')}
              value={role}
              onChange={(e) => setRole(e.currentTarget.value)}
            />
            <Button
              disabled={!contactId}
              loading={link.isPending}
              onClick={() =>
                contactId &&
                link.mutate(
                  { contactId, role: role.trim() || null },
                  {
                    onSuccess: () => {
                      setContactId(null);
                      setRole('');
                    },
                    onError: (e) => onError(e),
                  },
                )
              }
            >
              {t('records.related.linkSubmit')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
