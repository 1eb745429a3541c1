import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  tlsCertificateExpiry: Gauge;
}

/** One registry per app instance, so several apps in one process (tests) never share counters. */
export function createMetrics(tlsNotAfter: () => Date | null): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'thestorage_' });
  const tlsCertificateExpiry = new Gauge({
    name: 'thestorage_tls_certificate_expiry_seconds',
    help: 'Seconds until the served TLS certificate expires (negative once expired)',
    registers: [registry],
    collect() {
      const notAfter = tlsNotAfter();
      if (notAfter) this.set(Math.round((notAfter.getTime() - Date.now()) / 1000));
    },
  });
  return { registry, tlsCertificateExpiry };
}

export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics) {
  const duration = new Histogram({
    name: 'thestorage_http_request_duration_seconds',
    help: 'HTTP request duration by route and status class',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics.registry],
  });
  const errors = new Counter({
    name: 'thestorage_http_errors_total',
    help: 'Responses with status 500 and above',
    labelNames: ['route'],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = `${Math.floor(reply.statusCode / 100)}xx`;
    duration.observe({ method: request.method, route, status }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) errors.inc({ route });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
