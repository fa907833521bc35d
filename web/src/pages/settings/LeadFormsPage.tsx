import {
  ActionIcon,
  Anchor,
  Button,
  Checkbox,
  CopyButton,
  Group,
  Menu,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  IconArrowDown,
  IconArrowUp,
  IconCheck,
  IconCode,
  IconCopy,
  IconExternalLink,
  IconInbox,
  IconKey,
  IconPencil,
  IconTrash,
  IconX,
} from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useDeleteLeadForm,
  useFormableFields,
  useFormSubmissions,
  useLeadForms,
  usePatchLeadForm,
  useRegenerateFormKey,
  useSaveLeadForm,
  type FormableField,
  type LeadForm,
  type LeadFormBody,
} from '../../api/leadForms';
import { useFields } from '../../api/records';
import { can, useSession } from '../../api/session';
import { CopyField } from '../../components/CopyField';
import {
  EmptyList,
  FormModal,
  RowMenu,
  SettingsPage,
  SettingsTable,
  useConfirmAction,
} from '../../components/SettingsList';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';

type Editing = { mode: 'create' } | { mode: 'edit'; form: LeadForm };

/**
 * Settings → Biểu mẫu thu thập: the workspace's lead capture forms. Each has its questions
 * (lead fields and custom fields, labels in vi and en, required or not, in order), what follows
 * a submission (a thank-you text or a redirect), the source and campaign of its leads, a hosted
 * page and an embed snippet (with a copy button), and the list of its submissions.
 */
export function LeadFormsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const forms = useLeadForms();
  const patch = usePatchLeadForm();
  const remove = useDeleteLeadForm();
  const onError = useErrorHandler();
  const fmt = useFormat();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [sharing, setSharing] = useState<LeadForm | null>(null);
  const [viewing, setViewing] = useState<LeadForm | null>(null);
  const mayCreate = can(session, 'lead_forms', 'create');
  const mayUpdate = can(session, 'lead_forms', 'update');
  const mayDelete = can(session, 'lead_forms', 'delete');
  const deleting = useConfirmAction<LeadForm>({
    title: (f) => t('settings.leadForms.deleteTitle', { name: f?.name ?? '' }),
    text: () => t('settings.leadForms.deleteText'),
    loading: remove.isPending,
    run: (f) => remove.mutateAsync(f.id),
    done: (f) => t('settings.leadForms.deleted', { name: f.name }),
  });
  // The dialogs show the form as the list has it now (a regenerated key, a saved change).
  const current = (f: LeadForm | null) =>
    f ? (forms.data?.find((x) => x.id === f.id) ?? f) : null;

  return (
    <SettingsPage
      maw={1100}
      title={t('settings.leadForms.title')}
      description={t('settings.leadForms.description')}
      create={
        mayCreate && {
          label: t('settings.leadForms.create'),
          onClick: () => setEditing({ mode: 'create' }),
        }
      }
    >
      <SettingsTable
        query={{ data: forms.data, error: forms.error, refetch: forms.refetch }}
        rowKey={(f) => f.id}
        minWidth={760}
        empty={
          <EmptyList
            title={t('settings.leadForms.empty')}
            hint={t('settings.leadForms.emptyHint')}
          />
        }
        columns={[
          {
            header: t('settings.leadForms.name'),
            cell: (f) => (
              <Stack gap={2}>
                <Text size="sm" fw={500}>
                  {f.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('settings.leadForms.questionsCount', { count: f.fields.length })}
                  {f.campaign ? ` · ${t('settings.leadForms.campaign')}: ${f.campaign}` : ''}
                </Text>
              </Stack>
            ),
          },
          {
            header: t('settings.leadForms.submissions'),
            cell: (f) => (
              <Stack gap={2}>
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  style={{ alignSelf: 'flex-start' }}
                  aria-label={t('settings.leadForms.submissionsCountOf', {
                    name: f.name,
                    count: f.submissions,
                  })}
                  onClick={() => setViewing(f)}
                >
                  {fmt.number(f.submissions)}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {f.lastSubmittedAt
                    ? t('settings.leadForms.lastAt', { at: fmt.dateTime(f.lastSubmittedAt) })
                    : t('settings.leadForms.never')}
                </Text>
              </Stack>
            ),
          },
          {
            header: t('settings.leadForms.active'),
            cell: (f) => (
              <Switch
                checked={f.active}
                disabled={!mayUpdate}
                aria-label={t('settings.leadForms.activeOf', { name: f.name })}
                onChange={(e) =>
                  patch.mutate(
                    { id: f.id, body: { active: e.currentTarget.checked } },
                    { onError: (err) => onError(err) },
                  )
                }
              />
            ),
          },
        ]}
        actions={(f) => (
          <Group gap={4} wrap="nowrap" justify="flex-end">
            <Tooltip label={t('settings.leadForms.open')}>
              <ActionIcon
                component="a"
                href={f.hostedUrl}
                target="_blank"
                rel="noopener noreferrer"
                variant="subtle"
                aria-label={t('settings.leadForms.openNamed', { name: f.name })}
              >
                <IconExternalLink size={16} />
              </ActionIcon>
            </Tooltip>
            <RowMenu label={t('settings.leadForms.actionsOf', { name: f.name })}>
              <Menu.Item leftSection={<IconCode size={14} />} onClick={() => setSharing(f)}>
                {t('settings.leadForms.share')}
              </Menu.Item>
              <Menu.Item leftSection={<IconInbox size={14} />} onClick={() => setViewing(f)}>
                {t('settings.leadForms.viewSubmissions')}
              </Menu.Item>
              {mayUpdate && (
                <Menu.Item
                  leftSection={<IconPencil size={14} />}
                  onClick={() => setEditing({ mode: 'edit', form: f })}
                >
                  {t('common.edit')}
                </Menu.Item>
              )}
              {mayDelete && (
                <Menu.Item
                  color="red"
                  leftSection={<IconTrash size={14} />}
                  onClick={() => deleting.open(f)}
                >
                  {t('common.delete')}
                </Menu.Item>
              )}
            </RowMenu>
          </Group>
        )}
      />
      <FormEditor
        editing={editing}
        onClose={() => setEditing(null)}
        onCreated={(f) => setSharing(f)}
        key={editing ? (editing.mode === 'edit' ? editing.form.id : 'new') : 'closed'}
      />
      <ShareModal form={current(sharing)} mayUpdate={mayUpdate} onClose={() => setSharing(null)} />
      <SubmissionsModal
        form={current(viewing)}
        onClose={() => setViewing(null)}
        key={viewing?.id ?? 'none'}
      />
      {deleting.modal}
    </SettingsPage>
  );
}

interface Question {
  key: string;
  vi: string;
  en: string;
  required: boolean;
}

interface EditorValues {
  name: string;
  questions: Question[];
  submitVi: string;
  submitEn: string;
  afterSubmit: 'message' | 'redirect';
  thankYouVi: string;
  thankYouEn: string;
  redirectUrl: string;
  source: string;
  campaign: string;
  active: boolean;
  ratePerIp: number;
  ratePerForm: number;
}

/** A new form starts with the questions almost every form asks. */
function starterQuestions(fields: FormableField[]): Question[] {
  return ['fullName', 'phone', 'email']
    .map((k) => fields.find((f) => f.key === k))
    .filter((f): f is FormableField => !!f)
    .map((f) => ({ key: f.key, vi: f.label.vi, en: f.label.en, required: f.key === 'fullName' }));
}

function FormEditor({
  editing,
  onClose,
  onCreated,
}: {
  editing: Editing | null;
  onClose: () => void;
  onCreated: (form: LeadForm) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const catalogue = useFormableFields();
  const leadFields = useFields('leads');
  const save = useSaveLeadForm();
  const onError = useErrorHandler();
  const form0 = editing?.mode === 'edit' ? editing.form : null;
  const values0: EditorValues = {
    name: form0?.name ?? '',
    questions: form0
      ? form0.fields.map((f) => ({
          key: f.key,
          vi: f.label.vi,
          en: f.label.en,
          required: f.required,
        }))
      : starterQuestions(catalogue.data ?? []),
    submitVi: form0?.submitLabel.vi ?? 'Gửi thông tin',
    submitEn: form0?.submitLabel.en ?? 'Submit',
    afterSubmit: form0?.afterSubmit ?? 'message',
    thankYouVi:
      form0?.thankYou.vi ?? 'Cảm ơn bạn! Chúng tôi đã nhận được thông tin và sẽ liên hệ lại sớm.',
    thankYouEn:
      form0?.thankYou.en ??
      'Thank you! We have received your details and will get back to you soon.',
    redirectUrl: form0?.redirectUrl ?? '',
    source: form0?.source ?? 'website',
    campaign: form0?.campaign ?? '',
    active: form0?.active ?? true,
    ratePerIp: form0?.ratePerIp ?? 10,
    ratePerForm: form0?.ratePerForm ?? 300,
  };
  const form = useForm<EditorValues>({
    initialValues: values0,
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      redirectUrl: (v, values) =>
        values.afterSubmit === 'redirect' && !/^https?:\/\/\S+$/.test(v.trim())
          ? t('settings.leadForms.redirectInvalid')
          : null,
    },
  });
  // The starter questions arrive with the catalogue when a new form opens before it loaded.
  const starters = !form0 && catalogue.data ? starterQuestions(catalogue.data) : null;
  useEffect(() => {
    if (starters && form.values.questions.length === 0) form.setFieldValue('questions', starters);
  }, [starters?.length]);
  const questions = form.values.questions;
  const byKey = new Map((catalogue.data ?? []).map((f) => [f.key, f]));
  const unused = (catalogue.data ?? []).filter((f) => !questions.some((q) => q.key === f.key));
  const sources =
    leadFields.data
      ?.find((f) => f.key === 'source')
      ?.options?.filter((o) => !o.archived || o.key === values0.source)
      .map((o) => ({ value: o.key, label: o.label[lang] })) ?? [];

  const move = (i: number, by: -1 | 1) => {
    const next = [...questions];
    const [q] = next.splice(i, 1);
    next.splice(i + by, 0, q!);
    form.setFieldValue('questions', next);
  };
  const submit = form.onSubmit((v) => {
    const body: LeadFormBody = {
      name: v.name.trim(),
      fields: v.questions.map((q) => ({
        key: q.key,
        label: { vi: q.vi.trim() || q.en.trim(), en: q.en.trim() || q.vi.trim() },
        required: q.required,
      })),
      submitLabel: { vi: v.submitVi.trim(), en: v.submitEn.trim() },
      afterSubmit: v.afterSubmit,
      thankYou: { vi: v.thankYouVi.trim(), en: v.thankYouEn.trim() },
      redirectUrl: v.afterSubmit === 'redirect' ? v.redirectUrl.trim() : null,
      source: v.source,
      campaign: v.campaign.trim() || null,
      active: v.active,
      ratePerIp: v.ratePerIp,
      ratePerForm: v.ratePerForm,
    };
    save.mutate(
      { id: form0?.id ?? null, body },
      {
        onSuccess: (saved) => {
          notifySuccess(
            t(form0 ? 'settings.leadForms.saved' : 'settings.leadForms.created', {
              name: body.name,
            }),
          );
          onClose();
          if (!form0) onCreated(saved);
        },
        onError: (err) => onError(err, { form }),
      },
    );
  });
  const fieldsError = Object.entries(form.errors).filter(([k]) => k.startsWith('fields'));

  return (
    <FormModal
      opened={editing !== null}
      onClose={onClose}
      title={
        form0
          ? t('settings.leadForms.editNamed', { name: form0.name })
          : t('settings.leadForms.create')
      }
      size="xl"
      onSubmit={submit}
      loading={save.isPending}
    >
      <TextInput
        label={t('settings.leadForms.name')}
        placeholder={t('settings.leadForms.namePlaceholder')}
        required
        data-autofocus
        {...form.getInputProps('name')}
      />
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {t('settings.leadForms.questions')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('settings.leadForms.questionsHint')}
        </Text>
        {catalogue.isLoading && <InlineLoader />}
        {questions.map((q, i) => (
          <Group key={q.key} gap="xs" wrap="nowrap" align="flex-end">
            <Stack gap={0} w={40} align="center">
              <ActionIcon
                variant="subtle"
                size="sm"
                disabled={i === 0}
                aria-label={t('settings.leadForms.moveUp', { name: q.vi })}
                onClick={() => move(i, -1)}
              >
                <IconArrowUp size={14} />
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                size="sm"
                disabled={i === questions.length - 1}
                aria-label={t('settings.leadForms.moveDown', { name: q.vi })}
                onClick={() => move(i, 1)}
              >
                <IconArrowDown size={14} />
              </ActionIcon>
            </Stack>
            <Text size="sm" w={150} style={{ flexShrink: 0 }} pb={8}>
              {byKey.get(q.key)?.label[lang] ?? q.key}
            </Text>
            <TextInput
              style={{ flex: 1 }}
              label={t('settings.leadForms.labelVi')}
              value={q.vi}
              onChange={(e) => form.setFieldValue(`questions.${i}.vi`, e.currentTarget.value)}
            />
            <TextInput
              style={{ flex: 1 }}
              label={t('settings.leadForms.labelEn')}
              value={q.en}
              onChange={(e) => form.setFieldValue(`questions.${i}.en`, e.currentTarget.value)}
            />
            <Checkbox
              pb={8}
              label={t('settings.leadForms.required')}
              checked={q.required}
              onChange={(e) =>
                form.setFieldValue(`questions.${i}.required`, e.currentTarget.checked)
              }
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mb={6}
              aria-label={t('settings.leadForms.removeQuestion', { name: q.vi })}
              onClick={() =>
                form.setFieldValue(
                  'questions',
                  questions.filter((_, j) => j !== i),
                )
              }
            >
              <IconX size={16} />
            </ActionIcon>
          </Group>
        ))}
        {unused.length > 0 && (
          <Select
            maw={320}
            placeholder={t('settings.leadForms.addQuestion')}
            aria-label={t('settings.leadForms.addQuestion')}
            data={unused.map((f) => ({
              value: f.key,
              label: f.custom
                ? `${f.label[lang]} (${t('settings.leadForms.customField')})`
                : f.label[lang],
            }))}
            value={null}
            searchable
            nothingFoundMessage={t('common.nothingFound')}
            onChange={(key) => {
              const f = key ? byKey.get(key) : undefined;
              if (!f) return;
              form.setFieldValue('questions', [
                ...questions,
                { key: f.key, vi: f.label.vi, en: f.label.en, required: false },
              ]);
            }}
          />
        )}
        {fieldsError.map(([k, msg]) => (
          <Text key={k} size="sm" c="red">
            {String(msg)}
          </Text>
        ))}
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('settings.leadForms.submitVi')} {...form.getInputProps('submitVi')} />
        <TextInput label={t('settings.leadForms.submitEn')} {...form.getInputProps('submitEn')} />
      </SimpleGrid>
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('settings.leadForms.afterSubmit')}
        </Text>
        <SegmentedControl
          aria-label={t('settings.leadForms.afterSubmit')}
          data={[
            { value: 'message', label: t('settings.leadForms.showMessage') },
            { value: 'redirect', label: t('settings.leadForms.redirect') },
          ]}
          {...form.getInputProps('afterSubmit')}
        />
      </Stack>
      {form.values.afterSubmit === 'message' ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea
            autosize
            minRows={2}
            label={t('settings.leadForms.thankYouVi')}
            {...form.getInputProps('thankYouVi')}
          />
          <Textarea
            autosize
            minRows={2}
            label={t('settings.leadForms.thankYouEn')}
            {...form.getInputProps('thankYouEn')}
          />
        </SimpleGrid>
      ) : (
        <TextInput
          label={t('settings.leadForms.redirectUrl')}
          placeholder="https://"
          required
          {...form.getInputProps('redirectUrl')}
        />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('settings.leadForms.source')}
          description={t('settings.leadForms.sourceHint')}
          data={sources}
          allowDeselect={false}
          {...form.getInputProps('source')}
        />
        <TextInput
          label={t('settings.leadForms.campaign')}
          description={t('settings.leadForms.campaignHint')}
          {...form.getInputProps('campaign')}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NumberInput
          label={t('settings.leadForms.ratePerIp')}
          description={t('settings.leadForms.ratePerIpHint')}
          min={1}
          max={1_000_000}
          allowDecimal={false}
          {...form.getInputProps('ratePerIp')}
        />
        <NumberInput
          label={t('settings.leadForms.ratePerForm')}
          description={t('settings.leadForms.ratePerFormHint')}
          min={1}
          max={1_000_000}
          allowDecimal={false}
          {...form.getInputProps('ratePerForm')}
        />
      </SimpleGrid>
      <Switch
        label={t('settings.leadForms.active')}
        {...form.getInputProps('active', { type: 'checkbox' })}
      />
    </FormModal>
  );
}

function ShareModal({
  form,
  mayUpdate,
  onClose,
}: {
  form: LeadForm | null;
  mayUpdate: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const regenerate = useRegenerateFormKey();
  const confirm = useConfirmAction<LeadForm>({
    title: () => t('settings.leadForms.regenerateTitle'),
    text: () => t('settings.leadForms.regenerateText'),
    loading: regenerate.isPending,
    run: (f) => regenerate.mutateAsync(f.id),
    done: () => t('settings.leadForms.regenerated'),
  });
  return (
    <Modal
      opened={form !== null}
      onClose={onClose}
      size="xl"
      title={form ? t('settings.leadForms.shareTitle', { name: form.name }) : ''}
    >
      {form && (
        <Stack>
          {!form.active && (
            <Text size="sm" c="orange">
              {t('settings.leadForms.inactiveWarning')}
            </Text>
          )}
          <CopyField
            label={t('settings.leadForms.hostedLink')}
            description={t('settings.leadForms.hostedLinkHint')}
            value={form.hostedUrl}
          />
          <Group>
            <Button
              component="a"
              href={form.hostedUrl}
              target="_blank"
              rel="noopener noreferrer"
              variant="light"
              leftSection={<IconExternalLink size={16} />}
            >
              {t('settings.leadForms.open')}
            </Button>
          </Group>
          <Stack gap={4}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                {t('settings.leadForms.snippet')}
              </Text>
              <CopyButton value={form.snippet} timeout={2000}>
                {({ copied, copy }) => (
                  <Button
                    size="xs"
                    variant={copied ? 'filled' : 'light'}
                    color={copied ? 'teal' : undefined}
                    leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                    onClick={copy}
                  >
                    {copied ? t('common.copied') : t('settings.leadForms.copySnippet')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="xs" c="dimmed">
              {t('settings.leadForms.snippetHint')}
            </Text>
            <Textarea
              aria-label={t('settings.leadForms.snippet')}
              value={form.snippet}
              readOnly
              autosize
              minRows={6}
              maxRows={14}
              onFocus={(e) => e.currentTarget.select()}
              styles={{
                input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 },
              }}
            />
          </Stack>
          <Text size="xs" c="dimmed">
            {t('settings.leadForms.limitsHint', {
              perIp: form.ratePerIp,
              perForm: form.ratePerForm,
            })}
          </Text>
          {mayUpdate && (
            <Group>
              <Button
                variant="default"
                color="red"
                leftSection={<IconKey size={16} />}
                onClick={() => confirm.open(form)}
              >
                {t('settings.leadForms.regenerate')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
      {confirm.modal}
    </Modal>
  );
}

const outcomeColors = {
  lead_created: 'teal.8',
  lead_matched: 'blue.7',
  contact_matched: 'grape.7',
  spam: 'gray.6',
} as const;

function SubmissionsModal({ form, onClose }: { form: LeadForm | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const fmt = useFormat();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useFormSubmissions(form?.id ?? null, cursor);
  const items = page.data?.items;
  return (
    <Modal
      opened={form !== null}
      onClose={onClose}
      size="xl"
      title={form ? t('settings.leadForms.submissionsOf', { name: form.name }) : ''}
    >
      {page.error ? (
        <QueryError error={page.error} onRetry={() => void page.refetch()} />
      ) : !items ? (
        <InlineLoader />
      ) : items.length === 0 ? (
        <EmptyList
          title={t('settings.leadForms.noSubmissions')}
          hint={t('settings.leadForms.noSubmissionsHint')}
        />
      ) : (
        <Stack>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('settings.leadForms.submittedAt')}</Table.Th>
                  <Table.Th>{t('settings.leadForms.outcome')}</Table.Th>
                  <Table.Th>{t('settings.leadForms.answers')}</Table.Th>
                  <Table.Th>{t('settings.leadForms.origin')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm">{fmt.dateTime(s.submittedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        <Text size="sm" fw={600} c={outcomeColors[s.outcome]}>
                          {t(`settings.leadForms.outcomes.${s.outcome}`)}
                        </Text>
                        {s.recordType && s.recordId && (
                          <Anchor
                            component={Link}
                            to={`/${s.recordType}/${s.recordId}`}
                            size="sm"
                            onClick={onClose}
                          >
                            {s.recordName ?? t('settings.leadForms.recordGone')}
                          </Anchor>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={0}>
                        {s.values.map((v) => (
                          <Text size="xs" key={v.key}>
                            <Text span c="dimmed" size="xs">
                              {v.label[lang]}:
                            </Text>{' '}
                            {v.value}
                          </Text>
                        ))}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={0}>
                        {s.utmSource && (
                          <Text size="xs">
                            {t('settings.leadForms.utmSource')}: {s.utmSource}
                            {s.utmCampaign
                              ? ` · ${t('settings.leadForms.utmCampaign')}: ${s.utmCampaign}`
                              : ''}
                          </Text>
                        )}
                        {s.referrer && (
                          <Text
                            size="xs"
                            c="dimmed"
                            lineClamp={2}
                            title={s.referrer}
                            style={{ wordBreak: 'break-all' }}
                          >
                            {t('settings.leadForms.referrer')}: {s.referrer}
                          </Text>
                        )}
                        {s.landingPage && (
                          <Text
                            size="xs"
                            c="dimmed"
                            lineClamp={2}
                            title={s.landingPage}
                            style={{ wordBreak: 'break-all' }}
                          >
                            {t('settings.leadForms.landingPage')}: {s.landingPage}
                          </Text>
                        )}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="flex-end">
            <Button
              variant="default"
              size="xs"
              disabled={cursors.length <= 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              {t('settings.leadForms.newer')}
            </Button>
            <Button
              variant="default"
              size="xs"
              disabled={!page.data?.nextCursor}
              onClick={() => setCursors([...cursors, page.data!.nextCursor])}
            >
              {t('settings.leadForms.older')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
