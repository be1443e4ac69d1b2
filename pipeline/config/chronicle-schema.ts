/**
 * The chronicle (大事记) data file, e.g. manuscripts/yearbook-2026/data/chronicle.yaml:
 *
 *   year: 2025
 *   source: 本书编辑部据公开资料整理
 *   events:
 *     - date: 2025-01-01          # or 2025-01 when the day is not known
 *       text: 《网络数据安全管理条例》施行。
 *       terms: [网络数据安全管理条例, 重要数据]   # optional: index terms pointing at this event
 *
 * The file is checked as a whole, then each event on its own, so one bad event is reported at its line and
 * left out while the others are still printed.
 */
import { z } from 'zod';

export const chronicleFileSchema = z
  .object({
    /** The year the chronicle covers; dates in other years are warned about. */
    year: z.number().int().min(1900).max(2100).optional(),
    /** Printed under the chronicle as its source line. */
    source: z.string().min(1).optional(),
    events: z.array(z.unknown()).min(1, 'the chronicle has no events'),
  })
  .strict();

const dateRe = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

export const chronicleEventSchema = z
  .object({
    date: z
      .string({ message: 'expected a date such as 2025-03-05, or 2025-03 when the day is not known' })
      .regex(dateRe, 'expected a date such as 2025-03-05, or 2025-03 when the day is not known')
      .refine((value) => !dateRe.test(value) || isCalendarDate(value), { message: 'no such date in the calendar' }),
    text: z.string().min(1, 'an event needs a text'),
    terms: z.array(z.string().min(1)).default([]),
  })
  .strict();

export type ChronicleEvent = z.output<typeof chronicleEventSchema>;

/** Year, month and (when known) day of a checked event date. */
export function dateParts(value: string): { year: number; month: number; day?: number } {
  const [, y, m, d] = dateRe.exec(value)!;
  return { year: Number(y), month: Number(m), day: d ? Number(d) : undefined };
}

function isCalendarDate(value: string): boolean {
  const match = dateRe.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), match[3] ? Number(match[3]) : 1];
  if (m < 1 || m > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= daysInMonth;
}
