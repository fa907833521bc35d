/**
 * A lead's conversion (registered in objectUi.tsx, placed by the leads declaration's
 * `presentation.actions` and `presentation.banners`): the "Chuyển đổi" button opening the
 * dialog — the contact (new, or one that already has the lead's email or phone), the company
 * (new, one with its tax code or name, or none), the deal (name, amount, pipeline and stage,
 * expected close date, the contact's role) — and, once converted, the banner linking to what
 * the lead became.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconArrowsExchange, IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { useConvertLead, useConvertPreview, type ConvertPreview } from '../../api/leads';
import { usePipelines } from '../../api/pipelines';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { DateField } from './inputs';
import type { PanelProps } from './panels';

const CONVERTED = 'converted';

/** The header's "Chuyển đổi" button (not on a converted lead, nor for who may not edit it). */
export function ConvertLeadAction({ record, canUpdate }: PanelProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!canUpdate || record.status === CONVERTED) return null;
  return (
    <>
      <Button leftSection={<IconArrowsExchange size={16} />} onClick={() => setOpen(true)}>
        {t('leads.convert.action')}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('leads.convert.title', { name: String(record.displayName ?? '') })}
        size="lg"
      >
        {open && <ConvertForm record={record} onClose={() => setOpen(false)} />}
      </Modal>
    </>
  );
}

type Choice = string; // 'new' | 'none' | an existing record's id

function ConvertForm({ record, onClose }: { record: PanelProps['record']; onClose: () => void }) {
  const preview = useConvertPreview(record.id, true);
  if (preview.isPending) return <InlineLoader />;
  if (preview.isError) {
    return <QueryError error={preview.error} onRetry={() => void preview.refetch()} />;
  }
  return <ConvertChoices record={record} preview={preview.data} onClose={onClose} />;
}

function ConvertChoices({
  record,
  preview,
  onClose,
}: {
  record: PanelProps['record'];
  preview: ConvertPreview;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const onError = useErrorHandler();
  const convert = useConvertLead(record.id);
  const pipelines = usePipelines();
  const taxMatch = preview.companies.find((c) => c.matchedOn === 'taxCode');
  // Matching instead of duplicating: an existing contact or company is proposed first.
  const [contact, setContact] = useState<Choice>(preview.contacts[0]?.id ?? 'new');
  const [company, setCompany] = useState<Choice>(
    taxMatch?.id ?? (preview.defaults.companyName ? 'new' : 'none'),
  );
  const [companyName, setCompanyName] = useState(preview.defaults.companyName ?? '');
  const [withDeal, setWithDeal] = useState(true);
  const [dealName, setDealName] = useState(preview.defaults.dealName);
  const [amount, setAmount] = useState<number | ''>('');
  const [pipelineId, setPipelineId] = useState<string | null>(null);
  const [stageId, setStageId] = useState<string | null>(null);
  const [closeDate, setCloseDate] = useState<string | null>(null);
  const [role, setRole] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const pipelineList = pipelines.data ?? [];
  const pipeline = pipelineList.find((p) => p.id === pipelineId) ?? pipelineList[0];
  useEffect(() => {
    if (!pipelineId && pipelineList[0]) setPipelineId(pipelineList[0].id);
  }, [pipelineId, pipelineList]);

  const submit = () => {
    setErrors({});
    const dealBody = withDeal
      ? {
          create: true,
          name: dealName.trim() || undefined,
          ...(amount !== '' ? { amount } : {}),
          ...(pipeline ? { pipelineId: pipeline.id } : {}),
          ...(stageId ? { stageId } : {}),
          expectedCloseDate: closeDate,
          role: role.trim() || null,
        }
      : { create: false };
    const body = {
      contact:
        contact === 'new'
          ? { mode: 'new' as const, allowDuplicate: preview.contacts.length > 0 }
          : { mode: 'existing' as const, id: contact },
      company:
        company === 'none'
          ? { mode: 'none' as const }
          : company === 'new'
            ? { mode: 'new' as const, name: companyName.trim(), allowDuplicate: !!taxMatch }
            : { mode: 'existing' as const, id: company },
      deal: dealBody,
    };
    // mutateAsync: the dialog unmounts as soon as the lead shows converted, before a mutate
    // callback would run.
    convert.mutateAsync(body).then(
      (res) => {
        notifySuccess(t('leads.convert.done', { name: res.contact.name }));
        onClose();
        void navigate(res.deal ? `/deals/${res.deal.id}` : `/contacts/${res.contact.id}`);
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.fieldErrors.length > 0) {
          setErrors(Object.fromEntries(err.fieldErrors.map((f) => [f.path, f.message])));
        } else onError(err);
      },
    );
  };

  const matchTag = (on: string) => (
    <Badge size="xs" variant="light" color={on === 'name' ? 'gray' : 'teal'}>
      {t(`leads.convert.matchedOn.${on}`)}
    </Badge>
  );

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('leads.convert.intro')}
      </Text>
      <Radio.Group
        label={t('leads.convert.contact')}
        value={contact}
        onChange={setContact}
        error={errors['contact.id']}
      >
        <Stack gap={6} mt={6}>
          {preview.contacts.map((c) => (
            <Radio
              key={c.id}
              value={c.id}
              label={
                <Group gap={6}>
                  {t('leads.convert.useExisting', { name: c.name })}
                  {c.matchedOn.map((on) => (
                    <span key={on}>{matchTag(on)}</span>
                  ))}
                </Group>
              }
              description={[c.primaryEmail, c.primaryPhone].filter(Boolean).join(' · ')}
            />
          ))}
          <Radio
            value="new"
            label={t('leads.convert.newContact', { name: String(record.displayName ?? '') })}
            description={
              preview.contacts.length > 0 || preview.contactsOutsideScope
                ? t('leads.convert.duplicateWarning')
                : undefined
            }
          />
        </Stack>
      </Radio.Group>

      <Radio.Group
        label={t('leads.convert.company')}
        value={company}
        onChange={setCompany}
        error={errors['company.id']}
      >
        <Stack gap={6} mt={6}>
          {preview.companies.map((c) => (
            <Radio
              key={c.id}
              value={c.id}
              label={
                <Group gap={6}>
                  {t('leads.convert.useExisting', { name: c.name })}
                  {matchTag(c.matchedOn)}
                </Group>
              }
              description={c.taxCode ? t('leads.convert.taxCode', { code: c.taxCode }) : undefined}
            />
          ))}
          <Radio value="new" label={t('leads.convert.newCompany')} />
          {company === 'new' && (
            <TextInput
              ml="xl"
              label={t('leads.convert.companyName')}
              value={companyName}
              onChange={(e) => setCompanyName(e.currentTarget.value)}
              error={errors['company.name']}
              required
            />
          )}
          <Radio value="none" label={t('leads.convert.noCompany')} />
        </Stack>
      </Radio.Group>

      <Stack gap="xs">
        <Checkbox
          label={t('leads.convert.withDeal')}
          checked={withDeal}
          onChange={(e) => setWithDeal(e.currentTarget.checked)}
        />
        {withDeal && (
          <Stack gap="xs" pl="xl">
            <TextInput
              label={t('leads.convert.dealName')}
              value={dealName}
              onChange={(e) => setDealName(e.currentTarget.value)}
              error={errors['deal.name']}
            />
            <NumberInput
              label={t('leads.convert.amount')}
              value={amount}
              onChange={(v) => setAmount(typeof v === 'number' ? v : '')}
              min={0}
              allowDecimal={false}
              thousandSeparator="."
              decimalSeparator=","
              suffix=" ₫"
              error={errors['deal.amount']}
            />
            <Group grow align="flex-start">
              <Select
                label={t('leads.convert.pipeline')}
                data={pipelineList.map((p) => ({ value: p.id, label: p.name }))}
                value={pipeline?.id ?? null}
                onChange={(v) => {
                  setPipelineId(v);
                  setStageId(null);
                }}
                allowDeselect={false}
                error={errors['deal.pipelineId']}
              />
              <Select
                label={t('leads.convert.stage')}
                data={(pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.name }))}
                value={stageId ?? pipeline?.stages[0]?.id ?? null}
                onChange={setStageId}
                allowDeselect={false}
                error={errors['deal.stageId']}
              />
            </Group>
            <Group grow align="flex-start">
              <DateField
                label={t('leads.convert.closeDate')}
                value={closeDate}
                onChange={setCloseDate}
                error={errors['deal.expectedCloseDate']}
              />
              <TextInput
                label={t('leads.convert.role')}
                placeholder={t('deals.contacts.rolePlaceholder')}
                value={role}
                onChange={(e) => setRole(e.currentTarget.value)}
              />
            </Group>
          </Stack>
        )}
      </Stack>
      {Object.entries(errors)
        .filter(([path]) => !/^(contact\.id|company\.(id|name)|deal\.\w+)$/.test(path))
        .map(([path, message]) => (
          <Text key={path} size="sm" c="red" role="alert">
            {message}
          </Text>
        ))}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button onClick={submit} loading={convert.isPending}>
          {t('leads.convert.submit')}
        </Button>
      </Group>
    </Stack>
  );
}

/** A converted lead: read-only, and where its contact, company and deal are. */
export function LeadConvertedBanner({ record }: PanelProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (record.status !== CONVERTED) return null;
  const made = [
    ['contacts', record.convertedContact],
    ['companies', record.convertedCompany],
    ['deals', record.convertedDeal],
  ] as const;
  return (
    <Alert
      color="teal"
      icon={<IconCircleCheck size={18} />}
      title={
        <Title order={2} size="h5">
          {t('leads.converted.title')}
        </Title>
      }
    >
      <Stack gap={4}>
        <Text size="sm">
          {t('leads.converted.text', {
            when: record.convertedAt ? fmt.dateTime(String(record.convertedAt)) : '',
          })}
        </Text>
        <Group gap="md">
          {made.map(([object, ref]) => {
            const linked = ref as { id: string; name: string } | null | undefined;
            return linked ? (
              <Text size="sm" key={object}>
                {t(`leads.converted.${object}`)}:{' '}
                <Anchor
                  component={Link}
                  to={`/${object}/${encodeURIComponent(linked.id)}`}
                  size="sm"
                >
                  {linked.name}
                </Anchor>
              </Text>
            ) : null;
          })}
        </Group>
      </Stack>
    </Alert>
  );
}
