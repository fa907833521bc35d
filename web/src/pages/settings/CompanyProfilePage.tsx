import {
  Button,
  FileButton,
  Group,
  Image,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPhotoUp, IconTrash } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { normalizeAccountName } from '../../../../src/modules/company-profile/company-profile.normalize';
import { useCan } from '../../api/session';
import {
  useBanks,
  useCompanyProfile,
  useDeleteLogo,
  useSaveCompanyProfile,
  useUploadLogo,
  type CompanyProfile,
  type CompanyProfileBody,
} from '../../api/sellingSettings';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { SettingsPage, SettingsSection } from '../../components/SettingsList';
import { notifySuccess, useErrorHandler } from '../../lib/errors';

const LOGO_MAX_BYTES = 1024 * 1024;
const VAT_RATES = ['10', '8', '5', '0', 'none'] as const;
type VatRate = (typeof VAT_RATES)[number];

/**
 * Settings → Thông tin doanh nghiệp: the business profile printed on quotes, orders and
 * invoices (name, address, tax code, contact, logo), the bank account VietQR codes pay into, and
 * the defaults of new documents (payment terms, quote validity, VAT rate).
 */
export function CompanyProfilePage() {
  const { t } = useTranslation();
  const profile = useCompanyProfile();
  return (
    <SettingsPage
      maw={820}
      title={t('settings.companyProfile.title')}
      description={t('settings.companyProfile.description')}
    >
      {profile.isPending ? (
        <InlineLoader />
      ) : profile.isError ? (
        <QueryError error={profile.error} onRetry={() => void profile.refetch()} />
      ) : (
        <>
          <LogoSection profile={profile.data} />
          <ProfileForm profile={profile.data} />
        </>
      )}
    </SettingsPage>
  );
}

const valuesOf = (p: CompanyProfile) => ({
  legalName: p.legalName ?? '',
  shortName: p.shortName ?? '',
  address: p.address ?? '',
  taxCode: p.taxCode ?? '',
  phone: p.phone ?? '',
  email: p.email ?? '',
  website: p.website ?? '',
  bankBin: p.bankBin,
  bankAccountNumber: p.bankAccountNumber ?? '',
  bankAccountName: p.bankAccountName ?? '',
  paymentTermsDays: p.paymentTermsDays as number | string,
  quoteValidityDays: p.quoteValidityDays as number | string,
  defaultVatRate: p.defaultVatRate as VatRate,
});

function ProfileForm({ profile }: { profile: CompanyProfile }) {
  const { t } = useTranslation();
  const canEdit = useCan('company_profile', 'update');
  const save = useSaveCompanyProfile();
  const banks = useBanks();
  const onError = useErrorHandler();
  const form = useForm({
    initialValues: valuesOf(profile),
    validate: {
      bankAccountName: (v) =>
        v.trim() && normalizeAccountName(v) === null
          ? t('settings.companyProfile.accountNameInvalid')
          : null,
      paymentTermsDays: (v) => (typeof v === 'number' ? null : t('validation.required')),
      quoteValidityDays: (v) => (typeof v === 'number' ? null : t('validation.required')),
    },
  });
  const bankOptions = useMemo(
    () =>
      (banks.data?.items ?? []).map((b) => ({
        value: b.bin,
        label: `${b.shortName} — ${b.name}`,
      })),
    [banks.data],
  );
  const printedName = form.values.bankAccountName.trim()
    ? normalizeAccountName(form.values.bankAccountName)
    : null;

  const submit = form.onSubmit((values) => {
    const body: CompanyProfileBody = {
      ...values,
      bankBin: values.bankBin || null,
      paymentTermsDays: Number(values.paymentTermsDays),
      quoteValidityDays: Number(values.quoteValidityDays),
    };
    save.mutate(body, {
      onSuccess: (saved) => {
        // The server's normalised values (tax code, phone, account holder) become the form's.
        form.setValues(valuesOf(saved));
        form.resetDirty(valuesOf(saved));
        notifySuccess(t('settings.companyProfile.saved'));
      },
      onError: (err) => onError(err, { form }),
    });
  });

  const input = (key: keyof ReturnType<typeof valuesOf>) => ({
    readOnly: !canEdit,
    ...form.getInputProps(key),
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SettingsSection title={t('settings.companyProfile.business')}>
          <TextInput
            label={t('settings.companyProfile.legalName')}
            description={t('settings.companyProfile.legalNameHint')}
            maxLength={300}
            {...input('legalName')}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TextInput
              label={t('settings.companyProfile.shortName')}
              maxLength={100}
              {...input('shortName')}
            />
            <TextInput
              label={t('settings.companyProfile.taxCode')}
              description={t('settings.companyProfile.taxCodeHint')}
              maxLength={20}
              inputMode="numeric"
              {...input('taxCode')}
            />
          </SimpleGrid>
          <Textarea
            label={t('settings.companyProfile.address')}
            autosize
            minRows={2}
            maxLength={500}
            {...input('address')}
          />
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <TextInput
              label={t('settings.companyProfile.phone')}
              type="tel"
              maxLength={30}
              {...input('phone')}
            />
            <TextInput
              label={t('settings.companyProfile.email')}
              type="email"
              maxLength={254}
              {...input('email')}
            />
            <TextInput
              label={t('settings.companyProfile.website')}
              maxLength={200}
              {...input('website')}
            />
          </SimpleGrid>
        </SettingsSection>

        <SettingsSection title={t('settings.companyProfile.bankTitle')}>
          <Text size="sm" c="dimmed">
            {t('settings.companyProfile.bankHint')}
          </Text>
          <Select
            label={t('settings.companyProfile.bank')}
            data={bankOptions}
            searchable
            clearable
            nothingFoundMessage={t('settings.companyProfile.noBank')}
            {...input('bankBin')}
          />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <TextInput
              label={t('settings.companyProfile.accountNumber')}
              maxLength={30}
              inputMode="numeric"
              {...input('bankAccountNumber')}
            />
            <TextInput
              label={t('settings.companyProfile.accountName')}
              description={
                printedName
                  ? t('settings.companyProfile.accountNamePrinted', { name: printedName })
                  : t('settings.companyProfile.accountNameHint')
              }
              maxLength={100}
              {...input('bankAccountName')}
            />
          </SimpleGrid>
        </SettingsSection>

        <SettingsSection title={t('settings.companyProfile.defaults')}>
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <NumberInput
              label={t('settings.companyProfile.paymentTerms')}
              suffix={` ${t('settings.companyProfile.days')}`}
              min={0}
              max={365}
              allowDecimal={false}
              allowNegative={false}
              {...input('paymentTermsDays')}
            />
            <NumberInput
              label={t('settings.companyProfile.quoteValidity')}
              suffix={` ${t('settings.companyProfile.days')}`}
              min={1}
              max={365}
              allowDecimal={false}
              allowNegative={false}
              {...input('quoteValidityDays')}
            />
            <Select
              label={t('settings.companyProfile.vatRate')}
              data={VAT_RATES.map((r) => ({
                value: r,
                label: t(`settings.companyProfile.vat.${r}`),
              }))}
              allowDeselect={false}
              {...input('defaultVatRate')}
            />
          </SimpleGrid>
        </SettingsSection>

        {canEdit && (
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
              {t('common.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

function LogoSection({ profile }: { profile: CompanyProfile }) {
  const { t } = useTranslation();
  const canEdit = useCan('company_profile', 'update');
  const upload = useUploadLogo();
  const remove = useDeleteLogo();
  const onError = useErrorHandler();

  const pick = (file: File | null) => {
    if (!file) return;
    if (file.size > LOGO_MAX_BYTES) {
      onError(new Error(t('settings.companyProfile.logoTooBig')));
      return;
    }
    upload.mutate(file, {
      onSuccess: () => notifySuccess(t('settings.companyProfile.logoSaved')),
      onError: (err) => onError(err),
    });
  };

  return (
    <SettingsSection title={t('settings.companyProfile.logo')}>
      <Group align="center" wrap="wrap">
        <Paper
          withBorder
          w={180}
          h={90}
          p={6}
          style={{ display: 'flex', alignItems: 'center', justifyContent: 'center' }}
        >
          {profile.logo ? (
            <Image
              src={profile.logo.url}
              alt={t('settings.companyProfile.logoAlt')}
              fit="contain"
              mah={76}
              maw={166}
            />
          ) : (
            <Text size="sm" c="dimmed">
              {t('settings.companyProfile.noLogo')}
            </Text>
          )}
        </Paper>
        <Stack gap={6}>
          <Text size="sm" c="dimmed">
            {t('settings.companyProfile.logoHint')}
          </Text>
          {canEdit && (
            <Group gap="xs">
              <FileButton onChange={pick} accept="image/png,image/jpeg">
                {(props) => (
                  <Button
                    {...props}
                    variant="light"
                    leftSection={<IconPhotoUp size={16} />}
                    loading={upload.isPending}
                  >
                    {profile.logo
                      ? t('settings.companyProfile.changeLogo')
                      : t('settings.companyProfile.uploadLogo')}
                  </Button>
                )}
              </FileButton>
              {profile.logo && (
                <Button
                  variant="subtle"
                  color="red"
                  leftSection={<IconTrash size={16} />}
                  loading={remove.isPending}
                  onClick={() =>
                    remove.mutate(undefined, {
                      onSuccess: () => notifySuccess(t('settings.companyProfile.logoRemoved')),
                      onError: (err) => onError(err),
                    })
                  }
                >
                  {t('settings.companyProfile.removeLogo')}
                </Button>
              )}
            </Group>
          )}
        </Stack>
      </Group>
    </SettingsSection>
  );
}
