import { Badge, ColorSwatch, Group, Radio, Stack, Text } from '@mantine/core';
import { TAG_COLORS, type Tag, tagInputSchema, tagSchema, type tagsSchema } from '@thestorage/contracts';
import type { z } from 'zod';
import { tagsQuery } from '../../../api/catalog';
import { CatalogListPage } from './CatalogListPage';
import type { CatalogKind, ExtraFieldsProps } from './catalogKind';

type TagColor = Tag['color'];
type TagFields = { name: string; color: TagColor };

export const tagColorLabel: Record<TagColor, string> = {
  gray: 'Grey',
  red: 'Red',
  pink: 'Pink',
  grape: 'Grape',
  violet: 'Violet',
  indigo: 'Indigo',
  blue: 'Blue',
  cyan: 'Cyan',
  teal: 'Teal',
  green: 'Green',
  lime: 'Lime',
  yellow: 'Yellow',
  orange: 'Orange',
};

/** A tag as it appears on devices: a badge in its colour. */
export function TagBadge({ name, color }: { name: string; color: TagColor }) {
  return (
    <Badge color={color} variant="light" size="md">
      {name}
    </Badge>
  );
}

function TagColorField({ fields, errors, set }: ExtraFieldsProps<TagFields>) {
  return (
    <Stack gap="xs">
      <Radio.Group
        label="Colour"
        value={fields.color}
        error={errors.color}
        onChange={(value) => set('color', value as TagColor)}
      >
        <Group gap="sm" mt={6}>
          {TAG_COLORS.map((color) => (
            <Radio
              key={color}
              value={color}
              color={color}
              label={
                <Group gap={6} wrap="nowrap">
                  <ColorSwatch color={`var(--mantine-color-${color}-filled)`} size={14} aria-hidden />
                  {tagColorLabel[color]}
                </Group>
              }
            />
          ))}
        </Group>
      </Radio.Group>
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          Preview
        </Text>
        <TagBadge name={fields.name.trim() || 'Tag name'} color={fields.color} />
      </Group>
    </Stack>
  );
}

const devices = (count: number) => `${count} ${count === 1 ? 'device' : 'devices'}`;

/** DEV-11 tags: a name and a colour of the palette. */
export const tagsKind: CatalogKind<Tag, TagFields, z.infer<typeof tagsSchema>> = {
  list: 'tags',
  noun: 'tag',
  title: 'Tags',
  intro: 'Tags mark devices across categories, such as Loaner or Needs repair, each with its own colour.',
  empty: 'No tags yet.',
  query: tagsQuery,
  entriesOf: (data) => data.tags,
  itemSchema: tagSchema,
  inputSchema: tagInputSchema,
  nameMaxLength: 30,
  blank: () => ({ name: '', color: 'blue' }),
  fieldsOf: (tag) => ({ name: tag.name, color: tag.color }),
  bodyOf: (fields) => ({ name: fields.name, color: fields.color }),
  ExtraFields: TagColorField,
  nameCell: (tag) => <TagBadge name={tag.name} color={tag.color} />,
  columns: [{ header: 'Colour', cell: (tag) => <Text size="sm">{tagColorLabel[tag.color]}</Text> }],
  deleteConsequence: (tag) =>
    tag.deviceCount > 0
      ? `It is taken off the ${devices(tag.deviceCount)} that carry it.`
      : 'No device carries it.',
};

/** Settings → Tags. */
export function TagsPage() {
  return <CatalogListPage kind={tagsKind} />;
}
