/**
 * Six weeks of plausible history for the demo establishment, ending yesterday: the recurring checks
 * of its schedules (mostly on time, some late, some missed, a few failing, some with photos), a few
 * ad hoc checks, notes against actions, the head of residence's review decisions and status changes.
 *
 * Everything goes through the code paths the app uses: checks, notes and status changes through the
 * sync service, as the authors' tablets would push them (answers validated against the template,
 * the change log written, status changes audited), photos through the upload's storePhoto, review
 * decisions through recordReview. Deterministic: a seeded generator, and dates relative to the start
 * day, so the shapes are the same on every first start (the exact days vary with the weekday).
 */
import type { ReviewDecision } from '../../../src/shared/api/review.ts';
import { MAX_PUSH_MUTATIONS, type PushedMutation } from '../../../src/shared/api/sync.ts';
import type { Role } from '../../../src/shared/auth.ts';
import { Frequency } from '../../../src/shared/frequency.ts';
import { addDays } from '../../../src/shared/cycles.ts';
import { newId } from '../../../src/shared/ids.ts';
import { PROTOCOL_VERSION, type ExplainGapPayload, type MutationBody, type PhotoRef, type SettableActionStatus } from '../../../src/shared/mutations.ts';
import { isDueOn, localDateOf, type LocalDate } from '../../../src/shared/schedules.ts';
import type { Answer } from '../../../src/shared/templates/schema.ts';
import type { AuthContext } from '../auth/sessions.ts';
import type { BlobStore } from '../blobs.ts';
import { storePhoto } from '../services/photos.ts';
import { recordReview } from '../services/reviews.ts';
import { reviewGap } from '../services/gaps.ts';
import type { GapDecision } from '../../../src/shared/api/gaps.ts';
import { applyPush } from '../services/sync.ts';
import type { Db } from './client.ts';
import { loadDemoPhotos, photoRef, type DemoPhoto, type DemoPhotoName } from './demo-photos.ts';

/** Six weeks, ending yesterday: today's checks are still to do. */
export const HISTORY_DAYS = 42;

/** Who runs a unit's unit-manager checks in the history: so.demo's two wings, and the staff's units. */
export const UNIT_MANAGER_OF: Readonly<Record<string, string>> = {
  'A Wing': 'so.demo',
  'B Wing': 'so.demo',
  'C Wing': 'kai.patel.demo',
  'D Wing': 'kai.patel.demo',
  'Care and Separation Unit': 'morgan.lee.demo',
  'Induction Unit': 'morgan.lee.demo',
};

export interface DemoHistorySummary {
  /** The first and last day with history (the last is yesterday). */
  from: LocalDate;
  to: LocalDate;
  checks: number;
  notes: number;
  accepted: number;
  returned: number;
  statusChanges: number;
}

// Calendar and clock ----------------------------------------------------------------------------

/** The instant of a wall-clock time (minutes after midnight) on a local date in the time zone. */
function wallClock(timeZone: string): (date: LocalDate, minutes: number) => Date {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  // The zone's offset at an instant: its wall clock read as if it were UTC, minus the instant.
  const offset = (ms: number): number => {
    const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((part) => [part.type, Number(part.value)]));
    const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
    return wall - Math.floor(ms / 1000) * 1000;
  };
  return (date, minutes) => {
    const [y, m, d] = date.split('-').map(Number);
    const guess = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) + Math.round(minutes * 60_000);
    // Twice: near a clock change the offset at the first answer can differ from the guess's.
    return new Date(guess - offset(guess - offset(guess)));
  };
}

/** mulberry32: a small seeded generator, so every first start makes the same shapes. */
interface Rng {
  /** In [0, 1). */
  next: () => number;
  chance: (p: number) => boolean;
  /** A whole number from lo to hi, both included. */
  between: (lo: number, hi: number) => number;
  pick: <T>(items: readonly T[]) => T;
}

function generator(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    chance: (p) => next() < p,
    between: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('demo: pick from nothing');
      return item;
    },
  };
}

// What the database holds -------------------------------------------------------------------------

interface Refs {
  establishmentId: string;
  establishmentName: string;
  timeZone: string;
  units: { id: string; name: string; landings: string[] }[];
  schedules: { id: string; key: string; frequency: Frequency; performedBy: string; unitIds: string[]; actionIds: string[] }[];
  versions: Map<string, string>;
  people: Map<string, { id: string; displayName: string; roles: Role[] }>;
  actions: { id: string; text: string; version: number }[];
}

async function readRefs(db: Db, establishmentId: string): Promise<Refs> {
  const [here] = await db.query<{ name: string; time_zone: string }>('SELECT name, time_zone FROM establishments WHERE id = $1', [establishmentId]);
  if (!here) throw new Error('demo: no establishment');
  const units = await db.query<{ id: string; name: string; landings: string[] }>(
    'SELECT id, name, landings FROM units WHERE establishment_id = $1 ORDER BY name',
    [establishmentId],
  );
  const schedules = await db.query<{
    id: string;
    key: string;
    frequency: unknown;
    performed_by: string;
    unit_ids: string[];
    action_ids: string[];
  }>(
    `SELECT s.id, t.key, s.frequency, s.performed_by,
            ARRAY(SELECT su.unit_id FROM schedule_units su JOIN units u ON u.id = su.unit_id WHERE su.schedule_id = s.id ORDER BY u.name) AS unit_ids,
            ARRAY(SELECT sa.action_id FROM schedule_actions sa WHERE sa.schedule_id = s.id ORDER BY sa.action_id) AS action_ids
     FROM schedules s JOIN templates t ON t.id = s.template_id WHERE s.establishment_id = $1 ORDER BY t.key`,
    [establishmentId],
  );
  const versions = await db.query<{ key: string; id: string }>(
    `SELECT DISTINCT ON (t.key) t.key, v.id FROM templates t JOIN template_versions v ON v.template_id = t.id
     WHERE t.establishment_id = $1 ORDER BY t.key, v.version DESC`,
    [establishmentId],
  );
  const people = await db.query<{ id: string; username: string; display_name: string; roles: Role[] }>(
    `SELECT u.id, u.username, u.display_name, array_agg(m.role ORDER BY m.role) AS roles
     FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.establishment_id = $1 GROUP BY u.id`,
    [establishmentId],
  );
  const actions = await db.query<{ id: string; text: string; version: number }>(
    `SELECT a.id, a.text, a.version FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
     WHERE p.establishment_id = $1 ORDER BY r.position, a.position`,
    [establishmentId],
  );
  return {
    establishmentId,
    establishmentName: here.name,
    timeZone: here.time_zone,
    units,
    schedules: schedules.map((s) => ({
      id: s.id,
      key: s.key,
      frequency: Frequency.parse(typeof s.frequency === 'string' ? JSON.parse(s.frequency) : s.frequency),
      performedBy: s.performed_by,
      unitIds: s.unit_ids,
      actionIds: s.action_ids,
    })),
    versions: new Map(versions.map((v) => [v.key, v.id])),
    people: new Map(people.map((p) => [p.username, { id: p.id, displayName: p.display_name, roles: p.roles }])),
    actions,
  };
}

// The story ------------------------------------------------------------------------------------

/** Units that miss more of their checks than others: the busy or small ones. */
const MISS_RATE: Readonly<Record<string, number>> = {
  'A Wing': 0.03,
  'B Wing': 0.05,
  'C Wing': 0.08,
  'D Wing': 0.12,
  'Care and Separation Unit': 0.2,
  'Induction Unit': 0.15,
};

type Fate = 'on-time' | 'late' | 'missed' | 'cold-food' | 'dirty-servery' | 'thin-note';

/**
 * Fixed points of the story, by template, unit and day (days before the start), on top of the random
 * ones, so that the last four weeks always show each shape coverage and review can show.
 */
const SCRIPTED: Readonly<Record<string, Fate>> = {
  'daily-servery-check|B Wing|-2': 'cold-food',
  'daily-servery-check|A Wing|-3': 'late',
  'daily-servery-check|D Wing|-4': 'missed',
  'daily-unit-cleaning|D Wing|-4': 'missed',
  // Not explained: the demo's unit manager has a missed check to explain on Today.
  'daily-unit-cleaning|A Wing|-2': 'missed',
  'daily-unit-cleaning|C Wing|-5': 'dirty-servery',
  'duty-governor-round|C Wing|-12': 'thin-note',
};

/** Action texts start with these; the story's notes and status changes are about them. */
const ACTION = {
  standards: 'The Head of Residence will introduce, as part of handovers and briefings',
  forums: 'Utilising forums, student councils and surveys',
  dataCapture: 'Reviewing data capture and recording processes',
  timetabling: 'Improving the timetabling and scheduling of activities',
  events: 'Organising a programme of whole community events',
  incentives: 'Reviewing and publishing the Incentives Policy',
  welfare: 'Monitoring and evaluating the impact of \'Welfare Checks\'',
  isolating: 'Ensuring improved oversight of all children who are self-isolating',
} as const;
type ActionKey = keyof typeof ACTION;

interface StoryNote {
  key: string;
  author: string;
  /** Days before the start, and minutes after midnight. */
  day: number;
  at: number;
  action: ActionKey;
  unit: string | null;
  text: string;
  photo?: DemoPhotoName;
}

const NOTES: readonly StoryNote[] = [
  {
    key: 'standards', author: 'hor.demo', day: -38, at: 8 * 60 + 5, action: 'standards', unit: null,
    text: 'Expected standards reminder given at the 07:45 handover: staff on the landings at unlock and at every meal, and the servery check recorded before serving.',
  },
  {
    key: 'forum', author: 'hor.demo', day: -31, at: 16 * 60 + 20, action: 'forums', unit: 'B Wing',
    text: 'Residential forum on B Wing, 9 children attended. Portion sizes at tea and shower times were raised; the catering manager and the B Wing SO will reply by Friday.',
  },
  {
    key: 'portion-guide', author: 'so.demo', day: -24, at: 12 * 60 + 40, action: 'forums', unit: 'A Wing', photo: 'serveryCounter',
    text: 'After the forum: the new portion guide is displayed at the A Wing servery and the servery workers were briefed on it.',
  },
  {
    key: 'refusals', author: 'dg.demo', day: -20, at: 16 * 60 + 10, action: 'dataCapture', unit: null,
    text: 'Reasons children decline activities are now recorded on the regime monitoring tool at each unlock; the first weekly summary went to the residential meeting.',
  },
  {
    key: 'football', author: 'dg.demo', day: -17, at: 17 * 60 + 35, action: 'events', unit: null,
    text: 'Community football tournament on the sports field: staff and children from all four wings took part, with no incidents.',
  },
  {
    key: 'timetable', author: 'so.demo', day: -10, at: 18 * 60 + 5, action: 'timetabling', unit: 'A Wing',
    text: 'Evening association timetable for A and B Wing published on the landings and read out at roll check.',
  },
  {
    key: 'welfare', author: 'hor.demo', day: -6, at: 15 * 60 + 30, action: 'welfare', unit: null,
    text: 'Welfare check feedback from 12 children reviewed with the keywork leads: the main theme is seeing the same named keyworker each week.',
  },
  {
    key: 'isolating', author: 'dg.demo', day: -3, at: 16 * 60 + 50, action: 'isolating', unit: 'C Wing',
    text: 'Two self-isolating children on C Wing seen on the round: both were offered time out of room, and it is recorded on the regime monitoring tool.',
  },
];

/** The head of residence moves some actions along (days before the start; 10:15 each time). */
const STATUS_CHANGES: readonly { day: number; action: ActionKey; status: SettableActionStatus }[] = [
  { day: -35, action: 'forums', status: 'in-progress' },
  { day: -33, action: 'dataCapture', status: 'in-progress' },
  { day: -30, action: 'timetabling', status: 'in-progress' },
  { day: -28, action: 'events', status: 'in-progress' },
  { day: -25, action: 'incentives', status: 'in-progress' },
  { day: -21, action: 'forums', status: 'evidence-submitted' },
  // On the note accepted the day before: complete needs accepted evidence (or a reason).
  { day: -18, action: 'dataCapture', status: 'complete' },
  { day: -8, action: 'timetabling', status: 'evidence-submitted' },
];

/** Notes the head of residence accepts, and when (days before the start). */
const NOTE_REVIEWS: Readonly<Record<string, number>> = { 'portion-guide': -22, 'refusals': -19, 'timetable': -8 };

/** The weekly review mornings: each accepts two of the week's Duty Governor rounds. */
const REVIEW_DAYS = [-36, -29, -22, -15, -8, -1];

const RETURN_REASON = 'Say what was wrong with living conditions, where on the unit, and what was done about it.';

// Building the evidence ---------------------------------------------------------------------------

interface Built {
  answers: Answer[];
  photos: PhotoRef[];
  landing: string | null;
}

interface Submission {
  id: string;
  author: string;
  startedAt: Date;
  submittedAt: Date;
  body: MutationBody;
  photos: DemoPhoto[];
  /** A scheduled Duty Governor round with nothing failing: the kind the weekly review accepts. */
  acceptable: boolean;
}

type Later
  = | { kind: 'review'; at: Date; checkId: string; decision: ReviewDecision; reason: string | null }
    | { kind: 'status'; at: Date; action: ActionKey; status: SettableActionStatus }
    | { kind: 'gap'; at: Date; by: string; payload: ExplainGapPayload }
    | { kind: 'gap-review'; at: Date; explanationId: string; decision: GapDecision; comment: string | null };

const pass = (itemId: string): Answer => ({ itemId, value: 'pass' });

function serveryCheck(rng: Rng, fate: Fate, photos: Record<DemoPhotoName, DemoPhoto>): Built {
  const built: Built = { answers: [], photos: [], landing: null };
  const dirty = fate === 'dirty-servery' || rng.chance(0.03);
  const cold = fate === 'cold-food' || rng.chance(0.04);
  built.answers.push(
    dirty
      ? { itemId: 'servery-clean', value: 'fail', note: 'Food debris under the counter and on the floor; servery workers cleaned it before serving.' }
      : pass('servery-clean'),
    pass('servery-workers-dressed'),
    pass('hot-trolley-clean'),
    cold
      ? { itemId: 'temp-collection', value: rng.between(540, 615) / 10, note: 'Trolley arrived below temperature: food reheated and re-probed at 75 °C before serving.' }
      : { itemId: 'temp-collection', value: rng.between(640, 780) / 10 },
    { itemId: 'temp-serving', value: rng.between(635, 750) / 10 },
    rng.chance(0.02)
      ? { itemId: 'food-quality', value: 'fail', note: 'Rice overcooked and not as on the menu; kitchen told and a replacement sent up.' }
      : pass('food-quality'),
    pass('portion-control'),
    rng.chance(0.03)
      ? { itemId: 'comments-book-available', value: false, note: 'Book missing from the servery; found in the wing office and put back.' }
      : { itemId: 'comments-book-available', value: true },
  );
  if (dirty) built.photos.push(photoRef(photos.serveryCloseUp, 'servery-clean'));
  if (cold) built.photos.push(photoRef(photos.hotTrolley, 'temp-collection'));
  if (rng.chance(0.2)) built.photos.push(photoRef(photos.serveryCounter, 'servery-photo'));
  return built;
}

function dailyCleaning(rng: Rng, fate: Fate, landings: readonly string[], photos: Record<DemoPhotoName, DemoPhoto>): Built {
  const built: Built = { answers: [], photos: [], landing: rng.chance(0.5) ? rng.pick(landings) : null };
  const dirtyServery = fate === 'dirty-servery' || rng.chance(0.02);
  const below = rng.chance(0.05) ? rng.between(1, 2) : 0;
  built.answers.push(
    rng.chance(0.03) ? { itemId: 'landings', value: 'fail', note: 'Litter on the landing after association; cleaned before lock-up.' } : pass('landings'),
    rng.chance(0.04) ? { itemId: 'showers', value: 'fail', note: 'Mould on the shower ceiling; works request raised.' } : pass('showers'),
    rng.chance(0.02) ? { itemId: 'association', value: 'fail', note: 'Two chairs broken in the association room; taken out and reported.' } : pass('association'),
    dirtyServery
      ? { itemId: 'servery-area', value: 'fail', note: 'Food left on the servery counter after lunch; servery workers called back to clean it.' }
      : pass('servery-area'),
    { itemId: 'cells-checked', value: rng.between(3, 8) },
    below > 0
      ? { itemId: 'cells-below-standard', value: below, note: 'Floors not swept and bins full; cleaning materials given and rechecked before tea.' }
      : { itemId: 'cells-below-standard', value: 0 },
  );
  if (below > 0) built.answers.push({ itemId: 'cell-actions', value: 'Cleaning materials issued; the cells were rechecked before tea.' });
  if (dirtyServery) built.photos.push(photoRef(photos.serveryCloseUp, null));
  return built;
}

function weeklyCleaning(rng: Rng): Built {
  return {
    answers: [
      pass('walls-windows'),
      rng.chance(0.06) ? { itemId: 'servery-deep-clean', value: 'fail', note: 'Behind the hot cupboard not done; booked for Wednesday.' } : pass('servery-deep-clean'),
      rng.chance(0.08) ? { itemId: 'bins-drains', value: 'fail', note: 'Drain by the shower slow to clear; reported to works.' } : pass('bins-drains'),
      pass('cleaning-materials'),
    ],
    photos: [],
    landing: null,
  };
}

function dutyGovernorRound(rng: Rng, fate: Fate, serveryRecorded: boolean | null): Built {
  const answers: Answer[] = [
    pass('staff-present'),
    rng.chance(0.02) ? { itemId: 'interactions', value: 'fail', note: 'An officer shouted across the landing; spoken to by the SO.' } : pass('interactions'),
    fate === 'thin-note'
      ? { itemId: 'living-conditions', value: 'fail', note: 'Not good on the 3s.' }
      : rng.chance(0.04)
        ? { itemId: 'living-conditions', value: 'fail', note: 'Broken window in the 2s association room; works request raised and the room closed.' }
        : pass('living-conditions'),
    rng.chance(0.05) ? { itemId: 'regime', value: 'fail', note: 'Exercise cancelled: staff redeployed to an escort. Rearranged for the afternoon.' } : pass('regime'),
    // A round after a servery check that was missed, or not recorded yet, says so.
    serveryRecorded === false
      ? { itemId: 'servery-check-done', value: false, note: 'Not recorded when I visited; the SO was reminded to record it.' }
      : { itemId: 'servery-check-done', value: true },
  ];
  if (rng.chance(0.15)) answers.push({ itemId: 'round-notes', value: rng.pick(['Unit calm and clean.', 'Good interactions at the servery.', 'Kit change running late; SO aware.']) });
  return { answers, photos: [], landing: null };
}

function foodComments(rng: Rng): Built {
  const answers: Answer[] = [
    { itemId: 'comments-count', value: rng.between(0, 9) },
    rng.chance(0.1)
      ? { itemId: 'responses-written', value: false, note: 'Two comments from Tuesday still to answer; passed to the catering manager.' }
      : { itemId: 'responses-written', value: true },
    { itemId: 'book-signed', value: true },
  ];
  if (rng.chance(0.5)) answers.push({ itemId: 'themes', value: rng.pick(['Portion sizes at tea.', 'More fruit asked for.', 'Curry night well liked.']) });
  return { answers, photos: [], landing: null };
}

function keywork(rng: Rng): Built {
  const answers: Answer[] = [
    { itemId: 'sessions-sampled', value: rng.between(3, 6) },
    { itemId: 'overall-quality', value: rng.chance(0.6) ? 'Good' : 'Requires improvement' },
    rng.chance(0.15)
      ? { itemId: 'recorded-properly', value: 'fail', note: 'Two sessions were recorded a week late; keyworkers reminded of the 48-hour standard.' }
      : pass('recorded-properly'),
    { itemId: 'feedback', value: 'Feedback given to each keyworker sampled; good examples shared at the team brief.' },
  ];
  return { answers, photos: [], landing: null };
}

/** When each kind of check is usually started (minutes after midnight), and how long it takes. */
const TIMING: Readonly<Record<string, { start: number; spread: number; takes: [number, number] }>> = {
  'daily-unit-cleaning': { start: 9 * 60 + 10, spread: 50, takes: [10, 20] },
  'daily-servery-check': { start: 11 * 60 + 45, spread: 30, takes: [8, 15] },
  'weekly-unit-cleaning': { start: 10 * 60 + 30, spread: 60, takes: [15, 25] },
  'duty-governor-round': { start: 13 * 60 + 40, spread: 10, takes: [10, 18] },
  'weekly-food-comments-review': { start: 15 * 60, spread: 60, takes: [10, 20] },
  'monthly-keywork-quality': { start: 10 * 60, spread: 20, takes: [30, 40] },
};

// The story, day by day ---------------------------------------------------------------------------

/** The story's days and times, in the establishment's time zone, relative to the start day. */
class Calendar {
  readonly today: LocalDate;
  /** Nothing happens today: whatever the story says is over by the end of yesterday. */
  readonly endOfYesterday: Date;
  readonly at: (date: LocalDate, minutes: number) => Date;
  private readonly dates: Intl.DateTimeFormat;

  constructor(now: Date, timeZone: string) {
    this.today = localDateOf(now, timeZone);
    this.at = wallClock(timeZone);
    this.endOfYesterday = new Date(this.at(this.today, 0).getTime() - 60_000);
    // One formatter for the many dates read: localDateOf makes a new one on every call.
    this.dates = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /** The date `offset` days from the start day (negative: before it). */
  day(offset: number): LocalDate {
    return addDays(this.today, offset);
  }

  localDate(instant: Date): LocalDate {
    return this.dates.format(instant);
  }
}

type CheckPayload = Extract<MutationBody, { type: 'check.submit' }>['payload'];

/** Builds the history as tablets would have recorded it, without touching the database. */
class Story {
  readonly submissions: Submission[] = [];
  readonly later: Later[] = [];
  private readonly servery = new Map<string, Date>();

  constructor(
    private readonly refs: Refs,
    private readonly cal: Calendar,
    private readonly photos: Record<DemoPhotoName, DemoPhoto>,
    private readonly rng: Rng,
  ) {}

  actionId(key: ActionKey): string {
    const found = this.refs.actions.find((a) => a.text.startsWith(ACTION[key]));
    if (!found) throw new Error(`demo: no action starting "${ACTION[key]}"`);
    return found.id;
  }

  private version(key: string): string {
    const id = this.refs.versions.get(key);
    if (!id) throw new Error(`demo: no template ${key}`);
    return id;
  }

  private unitId(name: string): string {
    const found = this.refs.units.find((u) => u.name === name);
    if (!found) throw new Error(`demo: no unit ${name}`);
    return found.id;
  }

  private submit(
    author: string,
    startedAt: Date,
    minutes: number,
    payload: Omit<CheckPayload, 'checkId' | 'startedAt' | 'submittedAt' | 'supersedes'>,
    options: { supersedes?: string; acceptable?: boolean } = {},
  ): Submission {
    const submittedAt = new Date(startedAt.getTime() + minutes * 60_000);
    const id = newId();
    const times = { startedAt: startedAt.toISOString(), submittedAt: submittedAt.toISOString() };
    const body: MutationBody = { type: 'check.submit', payload: { ...payload, checkId: id, ...times, supersedes: options.supersedes ?? null } };
    const used = Object.values(this.photos).filter((photo) => payload.photos.some((p) => p.sha256 === photo.sha256));
    const acceptable = options.acceptable ?? false;
    const submission: Submission = { id, author, startedAt, submittedAt, body, photos: used, acceptable };
    this.submissions.push(submission);
    return submission;
  }

  /**
   * Every schedule's checks, day by day, by whoever runs them. The servery check comes before the
   * Duty Governor's round (schedules are in template key order), so the round knows whether it was
   * recorded by then. Returns the round scripted to be returned.
   */
  recurringChecks(): Submission {
    let toReturn: Submission | null = null;
    for (let offset = -HISTORY_DAYS; offset <= -1; offset += 1) {
      const date = this.cal.day(offset);
      for (const schedule of this.refs.schedules) {
        if (!isDueOn(schedule.frequency, date)) continue;
        for (const [position, unitId] of schedule.unitIds.entries()) {
          const made = this.scheduledCheck(schedule, unitId, position, offset);
          if (made?.fate === 'thin-note') toReturn = made.submission;
        }
      }
    }
    if (!toReturn) throw new Error('demo: the scripted round to return was not made');
    return toReturn;
  }

  private scheduledCheck(schedule: Refs['schedules'][number], unitId: string, position: number, offset: number): { fate: Fate; submission: Submission } | null {
    const { rng, cal } = this;
    const date = cal.day(offset);
    const unit = this.refs.units.find((u) => u.id === unitId);
    const timing = TIMING[schedule.key];
    const author = schedule.performedBy === 'unit-manager'
      ? UNIT_MANAGER_OF[unit?.name ?? '']
      : schedule.performedBy === 'duty-governor' ? 'dg.demo' : 'hor.demo';
    if (!unit || !timing || !author) throw new Error(`demo: nobody runs ${schedule.key} on ${unit?.name ?? unitId}`);
    const missRate = schedule.performedBy === 'unit-manager'
      ? (MISS_RATE[unit.name] ?? 0.05) * (schedule.key === 'weekly-food-comments-review' ? 1.5 : 1)
      : schedule.performedBy === 'duty-governor' ? (unit.name === 'Care and Separation Unit' ? 0.1 : 0.04) : 0;
    // Every draw is made whatever is scripted, so a scripted day does not shift the rest of the story.
    const missed = rng.chance(missRate);
    const late = offset < -1 && rng.chance(schedule.performedBy === 'duty-governor' ? 0.04 : 0.07);
    const fate: Fate = SCRIPTED[`${schedule.key}|${unit.name}|${offset}`] ?? (missed ? 'missed' : late ? 'late' : 'on-time');
    const startMinutes = timing.start + (schedule.key === 'duty-governor-round' ? position * 22 : 0) + rng.between(0, timing.spread);
    const takes = rng.between(...timing.takes);
    if (fate === 'missed') return null;
    // Late: written up the next morning, after the day it was due.
    const startedAt = fate === 'late' ? cal.at(cal.day(offset + 1), 7 * 60 + 40 + rng.between(0, 80)) : cal.at(date, startMinutes);
    const built = this.answers(schedule.key, fate, unit, date, startedAt);
    const submission = this.submit(author, startedAt, takes, {
      templateVersionId: this.version(schedule.key),
      scheduleId: schedule.id,
      dueOn: date,
      unitId,
      landing: built.landing,
      actionIds: schedule.actionIds,
      answers: built.answers,
      photos: built.photos,
    }, { acceptable: schedule.key === 'duty-governor-round' && !hasFailure(built.answers) });
    if (schedule.key === 'daily-servery-check') this.servery.set(`${unitId}|${date}`, submission.submittedAt);
    return { fate, submission };
  }

  private answers(key: string, fate: Fate, unit: Refs['units'][number], date: LocalDate, startedAt: Date): Built {
    const { rng, photos } = this;
    switch (key) {
      case 'daily-servery-check':
        return serveryCheck(rng, fate, photos);
      case 'daily-unit-cleaning':
        return dailyCleaning(rng, fate, unit.landings, photos);
      case 'weekly-unit-cleaning':
        return weeklyCleaning(rng);
      case 'duty-governor-round': {
        const hasServery = this.refs.schedules.some((s) => s.key === 'daily-servery-check' && s.unitIds.includes(unit.id));
        const recordedAt = this.servery.get(`${unit.id}|${date}`);
        return dutyGovernorRound(rng, fate, hasServery ? recordedAt !== undefined && recordedAt < startedAt : null);
      }
      case 'weekly-food-comments-review':
        return foodComments(rng);
      default:
        return keywork(rng);
    }
  }

  /** A few checks run ad hoc, outside any schedule: a teatime spot check, an evening visit, a leak. */
  adHocChecks(): void {
    const { cal, photos } = this;
    const dgRound = this.refs.schedules.find((s) => s.key === 'duty-governor-round');
    const adHoc = { scheduleId: null, dueOn: null };
    this.submit('dg.demo', cal.at(cal.day(-9), 17 * 60 + 20), 9, {
      ...adHoc, templateVersionId: this.version('daily-servery-check'), unitId: this.unitId('D Wing'), landing: null, actionIds: [],
      answers: [
        pass('servery-clean'), pass('servery-workers-dressed'), pass('hot-trolley-clean'),
        { itemId: 'temp-collection', value: 71.5 }, { itemId: 'temp-serving', value: 68 },
        pass('food-quality'), pass('portion-control'), { itemId: 'comments-book-available', value: true },
      ],
      photos: [photoRef(photos.serveryCounter, 'servery-photo')],
    });
    this.submit('dg.demo', cal.at(cal.day(-5), 21 * 60 + 25), 12, {
      ...adHoc, templateVersionId: this.version('duty-governor-round'), unitId: this.unitId('Care and Separation Unit'), landing: null,
      actionIds: dgRound?.actionIds ?? [],
      answers: [
        pass('staff-present'), pass('interactions'), pass('living-conditions'), pass('regime'),
        { itemId: 'servery-check-done', value: true },
        { itemId: 'round-notes', value: 'Evening visit: the unit was calm and every child had been offered a phone call.' },
      ],
      photos: [],
    });
    this.submit('so.demo', cal.at(cal.day(-16), 18 * 60 + 10), 11, {
      ...adHoc, templateVersionId: this.version('daily-unit-cleaning'), unitId: this.unitId('A Wing'), landing: '1s', actionIds: [],
      answers: [
        pass('landings'),
        { itemId: 'showers', value: 'fail', note: 'Shower drain blocked after a leak; works attended and cleared it, and the floor was dried.' },
        pass('association'), pass('servery-area'), { itemId: 'cells-checked', value: 4 }, { itemId: 'cells-below-standard', value: 0 },
      ],
      photos: [],
    });
  }

  /**
   * D Wing's missed day was a lockdown: its unit manager explains both checks the next morning and
   * the head of residence accepts, so coverage shows the day as explained, not missed.
   */
  explainedGaps(): void {
    const { cal } = this;
    const dueOn = cal.day(-4);
    ['daily-servery-check', 'daily-unit-cleaning'].forEach((key, i) => {
      const schedule = this.refs.schedules.find((s) => s.key === key);
      if (!schedule) throw new Error(`demo: no schedule of ${key}`);
      const explanationId = newId();
      const payload: ExplainGapPayload = {
        explanationId, scheduleId: schedule.id, unitId: this.unitId('D Wing'), dueOn, reason: 'lockdown',
        detail: 'Wing locked down 07:30 to 16:00 for a search; the regime did not run.', explainedAt: cal.at(cal.day(-3), 8 * 60 + 10 + i).toISOString(),
      };
      this.later.push({ kind: 'gap', at: new Date(payload.explainedAt), by: 'kai.patel.demo', payload });
      this.later.push({ kind: 'gap-review', at: cal.at(cal.day(-3), 11 * 60 + i), explanationId, decision: 'accepted', comment: null });
    });
  }

  /** The round with a thin note is returned, corrected by the duty governor the same day, and the correction accepted. */
  returnAndCorrect(original: Submission): void {
    const { cal } = this;
    if (original.body.type !== 'check.submit') throw new Error('demo: the returned evidence is not a check');
    const payload = original.body.payload;
    this.later.push({ kind: 'review', at: cal.at(cal.day(-11), 9 * 60 + 40), checkId: original.id, decision: 'returned', reason: RETURN_REASON });
    const better = 'Graffiti and a broken chair in the 3s association room: the wing cleaner repainted the wall and a works request was raised for the chair.';
    const correction = this.submit('dg.demo', cal.at(cal.day(-11), 11 * 60 + 5), 6, {
      ...payload,
      answers: payload.answers.map((a) => (a.itemId === 'living-conditions' ? { ...a, note: better } : a)),
    }, { supersedes: original.id });
    this.later.push({ kind: 'review', at: cal.at(cal.day(-8), 9 * 60 + 45), checkId: correction.id, decision: 'accepted', reason: null });
  }

  /** Notes against actions, some accepted by the head of residence. */
  notes(): void {
    const { cal, photos } = this;
    for (const note of NOTES) {
      const startedAt = cal.at(cal.day(note.day), note.at);
      const submittedAt = new Date(startedAt.getTime() + 4 * 60_000);
      const id = newId();
      const photo = note.photo ? photos[note.photo] : undefined;
      const payload = {
        noteId: id,
        actionIds: [this.actionId(note.action)],
        unitId: note.unit ? this.unitId(note.unit) : null,
        text: note.text,
        photos: photo ? [photoRef(photo, null)] : [],
        startedAt: startedAt.toISOString(),
        submittedAt: submittedAt.toISOString(),
        supersedes: null,
      };
      const body: MutationBody = { type: 'note.add', payload };
      const author = note.author;
      this.submissions.push({ id, author, startedAt, submittedAt, body, photos: photo ? [photo] : [], acceptable: false });
      const reviewDay = NOTE_REVIEWS[note.key];
      if (reviewDay !== undefined) this.later.push({ kind: 'review', at: cal.at(cal.day(reviewDay), 9 * 60 + 35), checkId: id, decision: 'accepted', reason: null });
    }
  }

  /** The weekly review mornings, each accepting two of the previous week's rounds; and the status changes. */
  reviewsAndStatuses(): void {
    const { cal, rng } = this;
    for (const reviewDay of REVIEW_DAYS) {
      const reviewAt = cal.at(cal.day(reviewDay), 9 * 60 + 30);
      const from = cal.at(cal.day(reviewDay - 7), 0);
      const to = cal.at(cal.day(reviewDay), 0);
      const candidates = this.submissions.filter((s) => s.acceptable && s.author === 'dg.demo' && s.submittedAt >= from && s.submittedAt < to);
      for (let i = 0; i < 2 && candidates.length > 0; i += 1) {
        const [chosen] = candidates.splice(Math.floor(rng.next() * candidates.length), 1);
        if (chosen) this.later.push({ kind: 'review', at: new Date(reviewAt.getTime() + i * 60_000), checkId: chosen.id, decision: 'accepted', reason: null });
      }
    }
    for (const change of STATUS_CHANGES) {
      this.later.push({ kind: 'status', at: cal.at(cal.day(change.day), 10 * 60 + 15), action: change.action, status: change.status });
    }
  }
}

// Applying it through the app's own services -----------------------------------------------------

/** The people's tablets: the client id each one's pushes come from, and its next mutation seq. */
class Tablets {
  private readonly seq = new Map<string, number>();
  clientId(username: string): string {
    return `demo-tablet-${username}`;
  }

  next(username: string): number {
    const n = (this.seq.get(username) ?? 0) + 1;
    this.seq.set(username, n);
    return n;
  }
}

interface Step {
  at: Date;
  run: () => Promise<void>;
}

class Applier {
  readonly counts = { checks: 0, notes: 0, accepted: 0, returned: 0, statusChanges: 0 };
  private readonly tablets = new Tablets();
  private readonly stored = new Set<string>();
  private readonly versions: Map<string, number>;

  constructor(
    private readonly db: Db,
    private readonly refs: Refs,
    private readonly blobs: BlobStore,
  ) {
    this.versions = new Map(refs.actions.map((a) => [a.id, a.version]));
  }

  /** Who is pushing, as a session would say. */
  private authOf(username: string): AuthContext {
    const person = this.refs.people.get(username);
    if (!person) throw new Error(`demo: no person ${username}`);
    return {
      tokenHash: 'demo-history',
      userId: person.id,
      username,
      displayName: person.displayName,
      establishmentId: this.refs.establishmentId,
      establishmentName: this.refs.establishmentName,
      roles: person.roles,
      csrfToken: '',
      deviceId: this.tablets.clientId(username),
      mustChangePassword: false,
      signInMethod: 'password',
    };
  }

  private async push(username: string, bodies: readonly MutationBody[], now: Date): Promise<void> {
    const clientId = this.tablets.clientId(username);
    for (let from = 0; from < bodies.length; from += MAX_PUSH_MUTATIONS) {
      const mutations: PushedMutation[] = bodies.slice(from, from + MAX_PUSH_MUTATIONS).map((body) => ({
        id: newId(),
        clientId,
        seq: this.tablets.next(username),
        type: body.type,
        payload: body.payload,
        createdAt: 'submittedAt' in body.payload ? body.payload.submittedAt : now.toISOString(),
      }));
      const results = await applyPush(this.db, this.authOf(username), { clientId, protocol: PROTOCOL_VERSION, mutations }, now);
      const refused = results.find((r) => r.status !== 'applied');
      // The demo's own data must pass every check a tablet's does: a refusal is a bug in this file.
      if (refused) throw new Error(`demo history: the server refused a change by ${username}: ${refused.reason ?? refused.status}`);
    }
  }

  /** A tablet's sync: its photos first, as the app uploads them before the evidence naming them, then the evidence. */
  sync(author: string, items: readonly Submission[], at: Date): Step {
    return {
      at,
      run: async () => {
        const uploader = this.authOf(author).userId;
        for (const photo of items.flatMap((s) => s.photos)) {
          if (this.stored.has(photo.sha256)) continue;
          const { sha256, bytes } = photo;
          const establishmentId = this.refs.establishmentId;
          await storePhoto(this.db, this.blobs, { establishmentId, uploadedBy: uploader, sha256, bytes, now: at });
          this.stored.add(photo.sha256);
        }
        await this.push(author, items.map((s) => s.body), at);
        for (const s of items) this.counts[s.body.type === 'note.add' ? 'notes' : 'checks'] += 1;
      },
    };
  }

  /** The head of residence's decision on a piece of evidence, or a status change from their tablet. */
  decide(step: Later, actionId: (key: ActionKey) => string): Step {
    const reviewer = this.authOf('hor.demo');
    if (step.kind === 'gap') return { at: step.at, run: () => this.push(step.by, [{ type: 'gap.explain', payload: step.payload }], step.at) };
    if (step.kind === 'gap-review') {
      return {
        at: step.at,
        run: async () => {
          await reviewGap(this.db, { auth: reviewer, deviceId: reviewer.deviceId, now: step.at }, step.explanationId, {
            decision: step.decision, ...(step.comment ? { comment: step.comment } : {}),
          });
        },
      };
    }
    if (step.kind === 'review') {
      return {
        at: step.at,
        run: async () => {
          const { checkId, decision, reason } = step;
          const review = { establishmentId: this.refs.establishmentId, reviewerId: reviewer.userId, deviceId: reviewer.deviceId };
          await recordReview(this.db, { ...review, checkId, decision, reason, now: step.at });
          this.counts[decision] += 1;
        },
      };
    }
    return {
      at: step.at,
      run: async () => {
        const id = actionId(step.action);
        const baseVersion = this.versions.get(id) ?? 1;
        await this.push('hor.demo', [{ type: 'action.set-status', payload: { actionId: id, status: step.status, baseVersion } }], step.at);
        this.versions.set(id, baseVersion + 1);
        this.counts.statusChanges += 1;
      },
    };
  }
}

/**
 * Makes the history of the demo establishment (its units, schedules, plan and people already made)
 * through the app's services, in time order, so the change log and the audit chain read as it
 * happened. `db` may be a transaction (see seedDemo): then it is all or nothing.
 */
export async function seedDemoHistory(
  db: Db,
  options: { establishmentId: string; blobs: BlobStore; now: Date },
): Promise<DemoHistorySummary> {
  const refs = await readRefs(db, options.establishmentId);
  const cal = new Calendar(options.now, refs.timeZone);
  const rng = generator(0x5eed_2025);
  const story = new Story(refs, cal, loadDemoPhotos(), rng);
  story.returnAndCorrect(story.recurringChecks());
  story.adHocChecks();
  story.notes();
  story.reviewsAndStatuses();
  story.explainedGaps();

  // Each tablet syncs once a day, when its author is back in the office after their last check.
  const batches = new Map<string, { author: string; last: Date; items: Submission[] }>();
  for (const s of story.submissions) {
    const key = `${s.author}|${cal.localDate(s.submittedAt)}`;
    const batch = batches.get(key) ?? { author: s.author, last: s.submittedAt, items: [] };
    batch.items.push(s);
    if (s.submittedAt > batch.last) batch.last = s.submittedAt;
    batches.set(key, batch);
  }
  const applier = new Applier(db, refs, options.blobs);
  const steps: Step[] = [];
  for (const batch of batches.values()) {
    const syncAt = new Date(Math.min(batch.last.getTime() + rng.between(15, 50) * 60_000, cal.endOfYesterday.getTime()));
    steps.push(applier.sync(batch.author, batch.items.sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime()), syncAt));
  }
  for (const step of story.later) steps.push(applier.decide(step, (key) => story.actionId(key)));
  steps.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const step of steps) await step.run();

  const days = story.submissions.map((s) => cal.localDate(s.startedAt)).sort();
  return { from: days[0] ?? cal.day(-HISTORY_DAYS), to: cal.day(-1), ...applier.counts };
}

/** Any failing answer among the built ones: a fail, a "no" or an out-of-range reading all carry a note here. */
function hasFailure(answers: readonly Answer[]): boolean {
  return answers.some((a) => a.note !== undefined);
}
