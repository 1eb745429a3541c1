import type { z } from 'zod';
import { nameConflictOf } from '../../../api/catalog';
import { fieldErrorsOf } from '../../../api/client';

/** Messages by field path (`name`, `attributes.0.prefix`), as the server's validation details name them. */
export type FieldErrors = Record<string, string>;

/** A form's own check with the contract's schema: the same rules and words as the server's. */
export function fieldErrorsOfIssues(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[issue.path.join('.')] ??= issue.message;
  return errors;
}

/** What a refused save says about single fields: validation details, or a taken name (409 {field:'name'}). */
export function fieldErrorsOfWrite(error: unknown): FieldErrors {
  const errors = fieldErrorsOf(error);
  const taken = nameConflictOf(error);
  if (taken) errors.name = taken;
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}
