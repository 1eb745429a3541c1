import { Text, TextInput, type TextInputProps } from '@mantine/core';
import type { CategoryAttribute } from '@thestorage/contracts';

const section = (text: string) =>
  text ? (
    <Text size="sm" c="dimmed" px={6} style={{ whiteSpace: 'nowrap' }}>
      {text}
    </Text>
  ) : undefined;

/** Room for a prefix or suffix of up to 5 characters. */
const sectionWidth = (text: string) => (text ? Math.max(28, text.length * 9 + 14) : undefined);

export interface AttributeInputProps extends Omit<TextInputProps, 'type' | 'label' | 'value' | 'onChange'> {
  attribute: CategoryAttribute;
  value: string;
  onChange(value: string): void;
}

/**
 * DEV-2: one attribute value, typed as the category says (text, number or date), its prefix and suffix as
 * sections of the box ("16" + `"`), and marked when required.
 */
export function AttributeInput({ attribute, value, onChange, ...rest }: AttributeInputProps) {
  return (
    <TextInput
      {...rest}
      label={attribute.name}
      type={attribute.type === 'date' ? 'date' : 'text'}
      inputMode={attribute.type === 'number' ? 'decimal' : undefined}
      maxLength={attribute.type === 'text' ? 100 : undefined}
      withAsterisk={attribute.required}
      required={attribute.required}
      leftSection={section(attribute.prefix)}
      leftSectionWidth={sectionWidth(attribute.prefix)}
      rightSection={section(attribute.suffix)}
      rightSectionWidth={sectionWidth(attribute.suffix)}
      rightSectionPointerEvents="none"
      leftSectionPointerEvents="none"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}
