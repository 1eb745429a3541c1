import { z } from 'zod';

// Zod probes `new Function` to compile fast parsers; under our CSP (no 'unsafe-eval') that probe is a
// violation report on every page load. Must run before any schema is built, so main.tsx imports it first.
z.config({ jitless: true });
