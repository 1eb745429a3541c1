import type { QueryFunction, QueryKey } from '@tanstack/react-query';
import type { ComponentType, ReactNode } from 'react';
import type { z } from 'zod';
import type { CatalogList } from '../../../api/catalog';
import type { CatalogColumn } from './CatalogTable';
import type { FieldErrors } from './catalogErrors';
import type { CatalogEntry } from './catalogWrites';

export interface ExtraFieldsProps<F> {
  fields: F;
  errors: FieldErrors;
  set<K extends keyof F>(field: K, value: F[K]): void;
}

/**
 * What makes places, tags and vendors different from each other (DEV-11); the page, the table, the editor
 * and the delete confirmation are the same for the three.
 */
export interface CatalogKind<E extends CatalogEntry, F extends { name: string }, D> {
  list: Exclude<CatalogList, 'categories'>;
  /** "place", in labels and titles. */
  noun: string;
  /** Names the table, e.g. "Places". */
  title: string;
  intro: string;
  empty: string;
  /** The list query of api/catalog (the same cache entry as everywhere else). */
  query: { queryKey: string[]; queryFn?: QueryFunction<D, string[]> };
  entriesOf(data: D): E[];
  /** The server's answer to a save, to check it as every answer is checked. */
  itemSchema: z.ZodType<E>;
  /** The contract's input schema: the form checks with the server's own rules and words. */
  inputSchema: z.ZodType;
  nameMaxLength: number;
  blank(): F;
  fieldsOf(entry: E): F;
  bodyOf(fields: F): object;
  /** Inputs besides the name (the tag's colour, the vendor's website). */
  ExtraFields?: ComponentType<ExtraFieldsProps<F>>;
  nameCell?(entry: E): ReactNode;
  columns?: readonly CatalogColumn<E>[];
  deleteConsequence(entry: E): ReactNode;
  /** Other queries that change with this list. */
  related?: readonly QueryKey[];
}
