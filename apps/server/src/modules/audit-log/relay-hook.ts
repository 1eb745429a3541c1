import type { FastifyInstance } from 'fastify';
import type { AuditRelay } from '../../platform/audit-store/relay';

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After every request that may have written (and so recorded audit events), nudge the relay: it is
 * debounced and cheap when the outbox is empty, and the relay's timer catches anything missed.
 */
export function relayAfterWrites(app: FastifyInstance, relay: Pick<AuditRelay, 'notify'>) {
  app.addHook('onResponse', async (request) => {
    if (!READ_ONLY_METHODS.has(request.method)) relay.notify();
  });
}
