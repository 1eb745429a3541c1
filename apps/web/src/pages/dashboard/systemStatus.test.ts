import { describe, expect, it } from 'vitest';
import { certificateColor, certificateSummary, formatLatency, formatUptime } from './systemStatus';

describe('system status formatting', () => {
  it('SEC-1: the certificate turns to the warning colour under 30 days and red once expired', () => {
    expect(certificateColor(90)).toBe('teal');
    expect(certificateColor(30)).toBe('teal');
    expect(certificateColor(29)).toBe('orange');
    expect(certificateColor(1)).toBe('orange');
    expect(certificateColor(0)).toBe('red');
    expect(certificateColor(null)).toBe('gray');
  });

  it('SHELL-1: says how long the certificate has left', () => {
    const tls = { source: 'files', notAfter: null, expiresSoon: false } as const;
    expect(certificateSummary({ ...tls, daysLeft: 1 })).toBe('1 day left');
    expect(certificateSummary({ ...tls, daysLeft: 45 })).toBe('45 days left');
    expect(certificateSummary({ ...tls, daysLeft: -2 })).toBe('Expired');
    expect(certificateSummary({ ...tls, source: 'proxy', daysLeft: null })).toBe('Terminated at the proxy');
  });

  it('SHELL-1: formats uptime in the largest sensible units', () => {
    expect(formatUptime(42)).toBe('42 s');
    expect(formatUptime(600)).toBe('10 min');
    expect(formatUptime(3_725)).toBe('1 h 2 min');
    expect(formatUptime(2 * 86_400 + 5 * 3_600)).toBe('2 d 5 h');
  });

  it('SHELL-1: sub-millisecond checks do not read as zero', () => {
    expect(formatLatency(0.2)).toBe('< 1 ms');
    expect(formatLatency(12.6)).toBe('13 ms');
  });
});
