/**
 * `/:object/duplicates` (issue #18): the possible duplicates of any record object, best first,
 * each pair with its evidence (the same phone, email, tax code or SKU; similar names; a shared
 * company), "not duplicates", and the merge dialog. Opening the page scans when the object was
 * never scanned; "Scan again" recomputes. Admins tune how similar names must be.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
} from '@mantine/core';
import { IconEyeOff, IconGitMerge, IconRefresh } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useDismissPair,
  useDuplicatePairs,
  useDuplicateThreshold,
  useScanPairs,
  type DuplicatePair,
} from '../../api/merge';
import { recordName, useFields, type ObjectMeta } from '../../api/records';
import { useCan } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { InlineLoader, QueryError } from '../../components/PageStates';
import { notifySuccess, useErrorHandler } from '../../lib/errors';
import { useFormat } from '../../lib/format';
import { displayText } from './fields';
import { MergeModal } from './MergeModal';

export function DuplicatesPage({ meta }: { meta: ObjectMeta }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const many = meta.label.many[lang];
  const fmt = useFormat();
  const [show, setShow] = useState<'open' | 'dismissed'>('open');
  const pairs = useDuplicatePairs(meta.key, show === 'dismissed');
  const scan = useScanPairs(meta.key);
  const canUpdate = useCan(meta.key, 'update');
  const canDelete = useCan(meta.key, 'delete');
  const canMerge = canUpdate && canDelete;
  const canTune = useCan('workspace', 'update');
  const onError = useErrorHandler();
  const [merging, setMerging] = useState<string[] | null>(null);
  const first = pairs.data?.pages[0];

  // A first visit scans at once (never scanned: nothing to show yet).
  const scanned = useRef(false);
  useEffect(() => {
    if (first && first.scannedAt === null && !scanned.current) {
      scanned.current = true;
      scan.mutate(undefined, { onError: (err) => onError(err) });
    }
  }, [first, scan, onError]);

  const items = pairs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack maw={1100}>
      <PageHeader
        title={t('merge.page.title', { many })}
        description={
          first?.scannedAt
            ? t('merge.page.scannedAt', { at: fmt.dateTime(first.scannedAt) })
            : t('merge.page.description')
        }
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} />}
              loading={scan.isPending}
              onClick={() =>
                scan.mutate(undefined, {
                  onSuccess: (r) => notifySuccess(t('merge.page.found', { count: r.pairs })),
                  onError: (err) => onError(err),
                })
              }
            >
              {t('merge.page.scan')}
            </Button>
            <Button component={Link} to={`/${meta.key}`} variant="subtle">
              {t('merge.page.back', { many })}
            </Button>
          </>
        }
      />
      <Group justify="space-between">
        <SegmentedControl
          value={show}
          onChange={(v) => setShow(v as 'open' | 'dismissed')}
          data={[
            { value: 'open', label: t('merge.page.open') },
            { value: 'dismissed', label: t('merge.page.dismissed') },
          ]}
        />
        {canTune && first && <ThresholdInput meta={meta} value={first.threshold} />}
      </Group>
      {pairs.isPending || (scan.isPending && items.length === 0) ? (
        <InlineLoader />
      ) : pairs.isError ? (
        <QueryError error={pairs.error} onRetry={() => void pairs.refetch()} />
      ) : items.length === 0 ? (
        <Card withBorder>
          <Text c="dimmed" size="sm">
            {t('merge.page.empty')}
          </Text>
        </Card>
      ) : (
        items.map((pair) => (
          <PairCard
            key={pair.records.map((r) => r.id).join()}
            meta={meta}
            pair={pair}
            canMerge={canMerge}
            onMerge={() => setMerging(pair.records.map((r) => r.id))}
          />
        ))
      )}
      {pairs.hasNextPage && (
        <Button
          variant="subtle"
          loading={pairs.isFetchingNextPage}
          onClick={() => void pairs.fetchNextPage()}
        >
          {t('records.kanban.loadMore')}
        </Button>
      )}
      <MergeModal meta={meta} ids={merging} onClose={() => setMerging(null)} />
    </Stack>
  );
}

function PairCard({
  meta,
  pair,
  canMerge,
  onMerge,
}: {
  meta: ObjectMeta;
  pair: DuplicatePair;
  canMerge: boolean;
  onMerge: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const fields = useFields(meta.key).data;
  const dismiss = useDismissPair(meta.key);
  const onError = useErrorHandler();
  const titleField = meta.presentation.titleField;
  const subtitle = (r: DuplicatePair['records'][number]) =>
    meta.presentation.subtitleFields
      .map((key) => {
        const field = fields?.find((f) => f.key === key);
        return field ? displayText(t, fmt, field, r) : '';
      })
      .filter(Boolean)
      .join(' · ');
  const ids = pair.records.map((r) => r.id) as [string, string];
  const names = pair.records.map((r) => recordName(r, titleField) || t('records.unnamed'));
  return (
    <Card withBorder radius="md" data-testid="duplicate-pair">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6} style={{ flex: 1 }}>
          <Group gap="lg" wrap="wrap">
            {pair.records.map((r, i) => (
              <Stack key={r.id} gap={0} miw={200}>
                <Anchor component={Link} to={`/${meta.key}/${r.id}`} fw={600}>
                  {names[i]}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {subtitle(r)}
                </Text>
              </Stack>
            ))}
          </Group>
          <Group gap={6}>
            <Badge color={pair.score >= 0.8 ? 'red' : pair.score >= 0.6 ? 'orange' : 'gray'}>
              {t('merge.score', { score: Math.round(pair.score * 100) })}
            </Badge>
            {pair.evidence.keys.map((k) => (
              <Badge key={`${k.key}:${k.value}`} variant="light">
                {t('merge.evidence.key', {
                  what: t(`merge.evidence.keys.${k.key}`, { defaultValue: k.key }),
                  value: k.value,
                })}
              </Badge>
            ))}
            {pair.evidence.nameSimilarity > 0 && (
              <Badge variant="light" color="grape">
                {t('merge.evidence.name', {
                  percent: Math.round(pair.evidence.nameSimilarity * 100),
                })}
              </Badge>
            )}
            {pair.evidence.sharedLinks.map((l) => (
              <Badge key={l} variant="light" color="teal">
                {t('merge.evidence.shared')}
              </Badge>
            ))}
          </Group>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconEyeOff size={14} />}
            loading={dismiss.isPending}
            onClick={() =>
              dismiss.mutate(
                { recordIds: ids, dismissed: !pair.dismissed },
                { onError: (err) => onError(err) },
              )
            }
          >
            {pair.dismissed ? t('merge.undismiss') : t('merge.dismiss')}
          </Button>
          {canMerge && !pair.dismissed && (
            <Button
              size="xs"
              leftSection={<IconGitMerge size={14} />}
              onClick={onMerge}
              aria-label={t('merge.mergeLabel', { a: names[0], b: names[1] })}
            >
              {t('merge.merge')}
            </Button>
          )}
        </Group>
      </Group>
    </Card>
  );
}

function ThresholdInput({ meta, value }: { meta: ObjectMeta; value: number }) {
  const { t } = useTranslation();
  const save = useDuplicateThreshold(meta.key);
  const onError = useErrorHandler();
  const [draft, setDraft] = useState<number>(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <Group gap="xs" align="flex-end">
      <NumberInput
        label={t('merge.threshold')}
        description={t('merge.thresholdHelp')}
        min={30}
        max={100}
        step={5}
        suffix="%"
        w={220}
        value={draft}
        onChange={(v) => setDraft(typeof v === 'number' ? v : Number(v))}
      />
      <Button
        variant="default"
        loading={save.isPending}
        disabled={draft === value || draft < 30 || draft > 100}
        onClick={() =>
          save.mutate(Math.round(draft), {
            onSuccess: () => notifySuccess(t('merge.thresholdSaved')),
            onError: (err) => onError(err),
          })
        }
      >
        {t('common.save')}
      </Button>
    </Group>
  );
}
