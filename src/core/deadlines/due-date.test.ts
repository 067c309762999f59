import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from './business-calendar.js';
import { localDateOf, parseCivilDate } from './civil-date.js';
import { computeDeadline, type ClockEvent } from './due-date.js';
import { loadJurisdictions } from './jurisdictions.js';

const jurisdictions = loadJurisdictions();
const calendar = (code: string, closures: Record<string, string> = {}) => new BusinessCalendar(jurisdictions.get(code)!, new Map(Object.entries(closures)));

describe('holiday calendars, computed from rules for any year', () => {
  it.each([
    ['us-federal', '2021-12-31', false, "New Year's Day 2022 (a Saturday) observed on the last day of 2021"],
    ['us-federal', '2022-06-20', false, 'Juneteenth on a Sunday, observed Monday'],
    ['us-federal', '2026-06-19', false, 'Juneteenth'],
    ['us-federal', '2020-06-19', true, 'Juneteenth before it existed (2021)'],
    ['us-federal', '2026-07-03', false, 'Independence Day on a Saturday, observed Friday'],
    ['us-federal', '2026-11-26', false, 'Thanksgiving'],
    ['us-federal', '2026-11-27', true, 'the day after Thanksgiving is a federal working day'],
    ['us-tx', '2026-11-27', false, 'the day after Thanksgiving is a Texas state holiday'],
    ['us-tx', '2030-11-29', false, 'the Friday after the 4th Thursday (2030), not the 4th Friday'],
    ['us-tx', '2030-11-22', true, 'the 4th Friday of November 2030 is an ordinary day'],
    ['us-tx', '2024-11-29', false, 'Friday after Thanksgiving 2024'],
    ['us-tx', '2026-06-19', false, 'Emancipation Day in Texas'],
    ['us-tx', '2026-07-03', true, 'Texas does not shift a Saturday holiday to Friday'],
    ['us-federal', '2027-01-18', false, 'Martin Luther King Jr. Day, 3rd Monday of January'],
    ['us-federal', '2026-05-25', false, 'Memorial Day, last Monday of May'],
    ['us-federal', '2031-05-26', false, 'Memorial Day far ahead: no list that ends'],
    ['us-federal', '2099-12-25', false, 'Christmas in 2099'],
    ['us-ny', '2026-11-03', false, 'Election Day in New York'],
    ['us-ny', '2027-07-05', false, 'Independence Day on a Sunday, observed Monday in New York'],
    ['us-ca', '2026-09-25', false, 'Native American Day, 4th Friday of September'],
    ['us-federal', '2026-03-07', false, 'a Saturday'],
  ])('%s %s business day: %s (%s)', (code, date, expected) => {
    expect(calendar(code).isBusinessDay(date)).toBe(expected);
  });
});

type Case = { name: string; code: string; received: string; events?: ClockEvent[]; asOf?: string; due: string; closures?: Record<string, string> };

describe('computeDeadline', () => {
  const cases: Case[] = [
    { name: 'federal: 20 working days, day 1 is the next working day, Christmas skipped', code: 'us-federal', received: '2026-11-27', due: '2026-12-28' },
    { name: 'received on a Saturday: day 1 is Monday', code: 'us-federal', received: '2026-03-07', due: '2026-04-03' },
    { name: 'day after Thanksgiving counts for federal FOIA', code: 'us-federal', received: '2026-11-25', due: '2026-12-24' },
    { name: 'day after Thanksgiving does not count in Texas', code: 'us-tx', received: '2026-11-25', due: '2026-12-11' },
    { name: 'year-end span: Christmas, New Year and MLK Day skipped', code: 'us-federal', received: '2026-12-18', due: '2027-01-20' },
    {
      name: 'a toll stops the clock from its first to its last day',
      code: 'us-federal',
      received: '2026-03-06',
      events: [{ type: 'toll', from: '2026-03-12', to: '2026-03-18', basis: 'information-request' }],
      due: '2026-04-10',
    },
    {
      name: 'an open toll ended by resume',
      code: 'us-federal',
      received: '2026-03-06',
      events: [
        { type: 'toll', from: '2026-03-12', to: null, basis: 'information-request' },
        { type: 'resume', on: '2026-03-18' },
      ],
      due: '2026-04-10',
    },
    { name: 'extension of 10 working days', code: 'us-federal', received: '2026-03-06', events: [{ type: 'extend', days: 10 }], due: '2026-04-17' },
    { name: 'California: 10 calendar days, a Sunday last day moves to Monday', code: 'us-ca', received: '2026-03-26', due: '2026-04-06' },
    { name: 'California extension of 14 days', code: 'us-ca', received: '2026-03-02', events: [{ type: 'extend', days: 14 }], due: '2026-03-26' },
    { name: 'New York: 5 business days', code: 'us-ny', received: '2026-10-30', due: '2026-11-09' },
    {
      name: 'an agency closure day is not a business day',
      code: 'us-federal',
      received: '2026-03-06',
      closures: { '2026-03-20': 'office move' },
      due: '2026-04-06',
    },
  ];
  it.each(cases)('$name', ({ code, received, events = [], asOf = received, due, closures }) => {
    expect(computeDeadline(received, events, calendar(code, closures), asOf).dueDate).toBe(due);
  });

  it.each([
    ['2026-03-06', 0, 20, 'on-track'],
    ['2026-03-27', 15, 5, 'on-track'],
    ['2026-03-30', 16, 4, 'at-risk'],
    ['2026-04-03', 20, 0, 'at-risk'],
    ['2026-04-06', 21, -1, 'overdue'],
  ] as const)('federal request received 2026-03-06, as of %s: %i days elapsed, %i remaining, %s', (asOf, elapsed, remaining, status) => {
    const d = computeDeadline('2026-03-06', [], calendar('us-federal'), asOf);
    expect(d).toMatchObject({ dueDate: '2026-04-03', allowedDays: 20, daysElapsed: elapsed, daysRemaining: remaining, status });
    expect(d.percentUsed).toBe((elapsed / 20) * 100);
  });

  it('80% counts extensions in the window', () => {
    // Day 16 of 20 is at risk; with 10 more days it is day 16 of 30.
    expect(computeDeadline('2026-03-06', [{ type: 'extend', days: 10 }], calendar('us-federal'), '2026-03-30').status).toBe('on-track');
  });

  it('an open toll freezes the clock and says so', () => {
    const d = computeDeadline(
      '2026-03-06',
      [{ type: 'toll', from: '2026-03-12', to: null, basis: 'information-request' }],
      calendar('us-federal'),
      '2026-04-30',
    );
    expect(d).toMatchObject({ tolled: true, daysElapsed: 3, status: 'on-track' });
    expect(d.dueDate > '2026-04-30').toBe(true);
  });

  it('a closed request is closed, whatever its clock says', () => {
    expect(computeDeadline('2026-03-06', [{ type: 'close', on: '2026-03-20' }], calendar('us-federal'), '2026-06-01')).toMatchObject({
      status: 'closed',
      closedOn: '2026-03-20',
      daysElapsed: 10,
    });
  });
});

describe('dates as operators enter them', () => {
  it('a date entered at 23:30 local time counts on its local date', () => {
    expect(parseCivilDate('2026-03-02T23:30')).toBe('2026-03-02');
    // 23:30 in Chicago on 2 March is 05:30 UTC on 3 March.
    expect(localDateOf(new Date('2026-03-03T05:30:00Z'), 'America/Chicago')).toBe('2026-03-02');
    expect(parseCivilDate('2026-03-02T23:30:00-06:00', 'America/Chicago')).toBe('2026-03-02');
  });
  it('refuses impossible dates with a clear message', () => {
    expect(() => parseCivilDate('2026-02-30')).toThrow(/no such date/);
    expect(() => parseCivilDate('March 2')).toThrow(/YYYY-MM-DD/);
  });
});
