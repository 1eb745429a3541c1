export type { Job, JobStatus } from './job';
export {
  backoffMs,
  cancelJob,
  completeJob,
  DEFAULT_MAX_ATTEMPTS,
  enqueueJob,
  failJob,
  getJob,
  type JobLease,
  type LeaseOptions,
  leaseNextJob,
  type NewJob,
  type Progress,
  renewLease,
  reportProgress,
} from './queue';
export {
  createJobRunner,
  type JobContext,
  type JobHandler,
  JobLeaseLostError,
  type JobLogger,
  type JobRunner,
  type JobRunnerOptions,
} from './worker';
