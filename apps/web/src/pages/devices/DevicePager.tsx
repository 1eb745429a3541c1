import { Button, Group, NativeSelect, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { PAGE_SIZES, type PageSize } from './deviceListSearch';

export interface DevicePagerProps {
  pageIndex: number;
  pageSize: PageSize;
  /** Devices on this page. */
  shown: number;
  total: number;
  /** More devices match than `total` (the server counts exactly up to 10,000). */
  totalCapped?: boolean;
  hasPrevious: boolean;
  hasNext: boolean;
  busy: boolean;
  onPrevious(): void;
  onNext(): void;
  onPageSize(size: PageSize): void;
}

/** "1–20 of 1,234" (or "of 10,000+"): where this page sits among all devices that match. */
export function rangeLabel(
  pageIndex: number,
  pageSize: number,
  shown: number,
  total: number,
  capped = false,
): string {
  const of = `${total.toLocaleString('en')}${capped ? '+' : ''}`;
  if (shown === 0) return `0 of ${of}`;
  const first = pageIndex * pageSize + 1;
  return `${first.toLocaleString('en')}–${(first + shown - 1).toLocaleString('en')} of ${of}`;
}

/** Previous / Next over cursor pages, the page size, and the total (DEV-9). */
export function DevicePager(props: DevicePagerProps) {
  const { pageIndex, pageSize, shown, total, totalCapped, hasPrevious, hasNext, busy } = props;
  return (
    <Group justify="space-between" gap="sm" wrap="wrap" component="nav" aria-label="Pages">
      <Text size="sm" data-testid="device-range" aria-live="polite">
        {rangeLabel(pageIndex, pageSize, shown, total, totalCapped)}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <NativeSelect
          aria-label="Devices per page"
          size="xs"
          w={110}
          value={String(pageSize)}
          data={PAGE_SIZES.map((size) => ({ value: String(size), label: `${size} per page` }))}
          onChange={(event) => props.onPageSize(Number(event.currentTarget.value) as PageSize)}
        />
        <Button
          size="xs"
          variant="default"
          leftSection={<IconChevronLeft size={14} aria-hidden />}
          disabled={!hasPrevious || busy}
          onClick={props.onPrevious}
        >
          Previous
        </Button>
        <Button
          size="xs"
          variant="default"
          rightSection={<IconChevronRight size={14} aria-hidden />}
          disabled={!hasNext || busy}
          onClick={props.onNext}
        >
          Next
        </Button>
      </Group>
    </Group>
  );
}
