import { z } from 'zod';

/** How often a check is due on each unit it applies to. */
export const Frequency = z.discriminatedUnion('every', [
  z.object({ every: z.literal('day') }),
  /** 1 = Monday ... 7 = Sunday (ISO). */
  z.object({ every: z.literal('week'), weekday: z.number().int().min(1).max(7) }),
  /** Day of the month; 29–31 fall on the month's last day in shorter months. */
  z.object({ every: z.literal('month'), day: z.number().int().min(1).max(31) }),
]);
export type Frequency = z.infer<typeof Frequency>;
