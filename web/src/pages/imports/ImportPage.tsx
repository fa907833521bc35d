/**
 * `/:object/import`: the import wizard of any record object (issue #18), in five steps: the file
 * → what the server detected (format, encoding, delimiter, rows, the XLSX sheet) → the columns
 * mapped to fields → the duplicate policy and a preview of the first rows → the run (progress,
 * then the report: counts, error file, undo). The server does the work (src/modules/imports);
 * the page keeps the choices and shows the answers.
 */
import { Alert, Button, Card, Group, Stack, Stepper } from '@mantine/core';
import {
  IconArrowLeft,
  IconArrowRight,
  IconHistory,
  IconLock,
  IconPlayerPlay,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useChooseSheet,
  useImport,
  useStartImport,
  useUploadImport,
  type DuplicatePolicy,
  type ImportJob,
  type ImportMapping,
} from '../../api/imports';
import { useFields, type FieldMeta, type ObjectMeta } from '../../api/records';
import { useCan } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { DetectedStep, UploadStep } from './FileSteps';
import { ImportRun } from './ImportReport';
import { manyOf } from './importText';
import { conflictingColumns, MappingStep, unmappedRequired } from './MappingStep';
import { PreviewStep } from './PreviewStep';

const STEPS = ['upload', 'detected', 'mapping', 'preview', 'run'] as const;
const RUN = STEPS.indexOf('run');

export function ImportPage({ meta }: { meta: ObjectMeta }) {
  const { t, i18n } = useTranslation();
  const canImport = useCan(meta.key, 'import');
  const fields = useFields(meta.key);
  // "Nhập tệp khác" starts the wizard again from an empty state.
  const [round, setRound] = useState(0);
  const many = manyOf(meta, i18n.language);

  return (
    <Stack maw={1100}>
      <PageHeader
        title={t('imports.title', { many })}
        description={t('imports.description')}
        actions={
          canImport && (
            <>
              <Button
                component={Link}
                to={`/${meta.key}/imports`}
                variant="default"
                leftSection={<IconHistory size={16} />}
              >
                {t('imports.history')}
              </Button>
              <Button component={Link} to={`/${meta.key}`} variant="subtle">
                {t('imports.backToList', { many })}
              </Button>
            </>
          )
        }
      />
      {!canImport ? (
        <Alert color="orange" icon={<IconLock />}>
          {t('imports.forbidden', { many })}
        </Alert>
      ) : fields.isPending ? (
        <InlineLoader />
      ) : fields.isError ? (
        <QueryError error={fields.error} onRetry={() => void fields.refetch()} />
      ) : (
        <Wizard
          key={round}
          meta={meta}
          fields={fields.data}
          onAnother={() => setRound((r) => r + 1)}
        />
      )}
    </Stack>
  );
}

function Wizard({
  meta,
  fields,
  onAnother,
}: {
  meta: ObjectMeta;
  fields: FieldMeta[];
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const onError = useErrorHandler();
  const [active, setActive] = useState(0);
  const [importId, setImportId] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>([]);
  const [duplicates, setDuplicates] = useState<DuplicatePolicy>('skip');
  const [matchKeys, setMatchKeys] = useState<string[]>([]);
  const [template, setTemplate] = useState('');
  const upload = useUploadImport(meta.key);
  const chooseSheet = useChooseSheet();
  const start = useStartImport(meta.key);
  const current = useImport(importId);
  const imp = current.data;
  const started = active === RUN;

  /** A new analysis (a file, or another sheet of it): its suggested mapping and options. */
  const analysed = (next: ImportJob) => {
    setImportId(next.id);
    setMapping(next.headers.map((_, i) => next.mapping[i] ?? null));
    setDuplicates(next.options.duplicates);
    setMatchKeys(next.options.matchKeys ?? next.matchKeys.map((k) => k.key));
  };

  const onFile = (file: File) => {
    setFileName(file.name);
    upload.mutate(file, {
      onSuccess: (next) => {
        analysed(next);
        setActive(1);
      },
    });
  };

  const onSheet = (sheet: string) => {
    if (!imp) return;
    chooseSheet.mutate({ id: imp.id, sheet }, { onSuccess: analysed, onError: (e) => onError(e) });
  };

  const onStart = () => {
    if (!imp) return;
    start.mutate(
      {
        id: imp.id,
        plan: {
          mapping,
          options: { duplicates, matchKeys },
          ...(template.trim() ? { template: template.trim() } : {}),
        },
      },
      { onSuccess: () => setActive(RUN), onError: (e) => onError(e) },
    );
  };

  const mappedCount = mapping.filter((k) => k !== null).length;
  const canMapOn = imp ? mappedCount > 0 && conflictingColumns(imp, mapping).size === 0 : false;
  const missing = imp ? unmappedRequired(meta, fields, imp, mapping) : [];

  const step = (index: number) => ({
    label: t(`imports.steps.${STEPS[index]}`),
    description: t(`imports.stepHints.${STEPS[index]}`),
    allowStepSelect: !started && index < active,
  });

  return (
    <Card withBorder padding="lg" radius="md">
      <Stepper
        active={active}
        onStepClick={(i) => !started && setActive(i)}
        allowNextStepsSelect={false}
        size="sm"
      >
        <Stepper.Step {...step(0)}>
          <UploadStep
            onFile={onFile}
            uploading={upload.isPending}
            fileName={fileName}
            error={upload.error}
          />
        </Stepper.Step>
        <Stepper.Step {...step(1)}>
          {imp && (
            <DetectedStep imp={imp} onSheet={onSheet} changingSheet={chooseSheet.isPending} />
          )}
        </Stepper.Step>
        <Stepper.Step {...step(2)}>
          {imp && (
            <MappingStep
              imp={imp}
              mapping={mapping}
              onChange={setMapping}
              missing={missing}
              template={template}
              onTemplate={setTemplate}
            />
          )}
        </Stepper.Step>
        <Stepper.Step {...step(3)}>
          {imp && (
            <PreviewStep
              meta={meta}
              fields={fields}
              imp={imp}
              mapping={mapping}
              duplicates={duplicates}
              onDuplicates={setDuplicates}
              matchKeys={matchKeys}
              onMatchKeys={setMatchKeys}
              active={active === 3}
            />
          )}
        </Stepper.Step>
        <Stepper.Step {...step(4)}>
          {imp && <ImportRun meta={meta} imp={imp} onAnother={onAnother} />}
        </Stepper.Step>
      </Stepper>

      {!started && (
        <Group justify="space-between" mt="xl">
          <Button
            variant="default"
            leftSection={<IconArrowLeft size={16} />}
            disabled={active === 0}
            onClick={() => setActive((a) => a - 1)}
          >
            {t('imports.back')}
          </Button>
          {active < 3 ? (
            <Button
              rightSection={<IconArrowRight size={16} />}
              disabled={!imp || (active === 2 && !canMapOn) || upload.isPending}
              onClick={() => setActive((a) => a + 1)}
            >
              {t('imports.next')}
            </Button>
          ) : (
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              loading={start.isPending}
              disabled={!canMapOn}
              onClick={onStart}
            >
              {t('imports.run.start', {
                count: imp?.totalRows ?? 0,
                n: fmt.number(imp?.totalRows ?? 0),
              })}
            </Button>
          )}
        </Group>
      )}
    </Card>
  );
}
