// The coverage tests' plain inputs: a unit and a schedule as the grid needs them, changed only where a test says.
import type { CoverageScheduleInput, CoverageUnitInput } from '../../../src/shared/coverage.ts';

export const unit = (id: string, overrides: Partial<CoverageUnitInput> = {}): CoverageUnitInput => ({
  id,
  name: id,
  createdOn: '2025-01-01',
  archivedOn: null,
  ...overrides,
});

/** The daily servery check on A Wing since 1 January 2025. */
export const schedule = (overrides: Partial<CoverageScheduleInput> = {}): CoverageScheduleInput => ({
  id: 'daily',
  templateId: 'servery',
  frequency: { every: 'day' },
  unitIds: ['A Wing'],
  startsOn: '2025-01-01',
  archivedOn: null,
  ...overrides,
});
