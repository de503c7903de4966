import type { Command } from 'commander';
import { isDay } from '../controls/lifecycle/kubernetes-releases.js';
import { todayUtc } from '../exceptions/exception-set.js';
import { UsageError } from './usage-error.js';

/**
 * The day end-of-life dates are judged on: `--support-date` (to plan ahead, or to make a report reproducible),
 * or today in UTC.
 */
export function supportDay(command: Command, now: Date = new Date()): string {
  const given = (command.opts() as { supportDate?: string }).supportDate;
  if (given === undefined) return todayUtc(now);
  if (!isDay(given)) throw new UsageError(`--support-date must be a date written YYYY-MM-DD, not "${given}"`);
  return given;
}
