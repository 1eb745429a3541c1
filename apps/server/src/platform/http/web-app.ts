import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { ErrorCode } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem';

const API_PREFIXES = ['/api/', '/health', '/ready', '/metrics'];

/** Serves the built single-page app; unknown non-API GETs get index.html so client routes deep-link. */
export async function registerWebApp(app: FastifyInstance, distDir: string) {
  const indexFile = path.join(distDir, 'index.html');
  const built = existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      wildcard: false,
      index: false,
      // Hashed assets never change; index.html must always be fresh.
      setHeaders(res, filePath) {
        res.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const isApi = API_PREFIXES.some((p) => url === p || url.startsWith(p));
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApi || path.extname(url) !== '') {
      return sendProblem(request, reply, 404, ErrorCode.NotFound, `No route for ${request.method} ${url}`);
    }
    if (!built) {
      return sendProblem(
        request,
        reply,
        503,
        ErrorCode.ServiceUnavailable,
        'The web app is not built: run `npm run build:web`',
      );
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
