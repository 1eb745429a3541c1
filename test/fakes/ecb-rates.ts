import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeTestCertificates } from '../../apps/server/src/platform/tls/test-certificates';

/** What the fake answers next: the ECB's document with these rates, or a failure on demand. */
export type FakeEcbAnswer =
  | { kind: 'rates'; date: string; rates: Record<string, string> }
  | { kind: 'status'; status: number }
  | { kind: 'body'; body: string };

export interface FakeEcb {
  url: string;
  caPem: string;
  requests: number;
  answer(next: FakeEcbAnswer): void;
  close(): Promise<void>;
}

/** The European Central Bank's daily reference-rate XML, as https://www.ecb.europa.eu serves it. */
export function ecbDocument(date: string, rates: Record<string, string>): string {
  const cubes = Object.entries(rates)
    .map(([currency, rate]) => `\t\t\t<Cube currency='${currency}' rate='${rate}'/>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
\t\t<Cube time='${date}'>
${cubes}
\t\t</Cube>
\t</Cube>
</gesmes:Envelope>
`;
}

/** A local HTTPS server that speaks like the ECB's rate document, and fails when told to. */
export async function startFakeEcb(): Promise<FakeEcb> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fake-ecb-'));
  const certs = await makeTestCertificates(dir);
  let next: FakeEcbAnswer = {
    kind: 'rates',
    date: '2026-12-04',
    rates: { USD: '1.0523', GBP: '0.83090', JPY: '158.45' },
  };
  const fake = { requests: 0 };
  const server = createServer({ cert: certs.certPem, key: certs.keyPem }, (req, res) => {
    fake.requests++;
    if (req.url !== '/stats/eurofxref/eurofxref-daily.xml') {
      res.writeHead(404).end();
      return;
    }
    if (next.kind === 'status') res.writeHead(next.status).end('unavailable');
    else if (next.kind === 'body') res.writeHead(200, { 'content-type': 'text/xml' }).end(next.body);
    else res.writeHead(200, { 'content-type': 'text/xml' }).end(ecbDocument(next.date, next.rates));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/stats/eurofxref/eurofxref-daily.xml`,
    caPem: certs.caPem,
    get requests() {
      return fake.requests;
    },
    answer(answer) {
      next = answer;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
