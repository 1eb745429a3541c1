import { ErrorAlert } from '../../../components/ErrorAlert';
import { isNotInPlan } from './directoryLabels';

/** A refused directory request: the plan hint for feature_not_in_plan, the server's message otherwise. */
export function DirectoryErrorAlert({ error }: { error: unknown }) {
  if (isNotInPlan(error)) {
    return <ErrorAlert error={error} tone="plan" title="Directory sync needs the Enterprise plan" />;
  }
  return <ErrorAlert error={error} />;
}
