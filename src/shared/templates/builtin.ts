import { TemplateVersion, type TemplateVersionInput } from './schema.ts';

/**
 * The checks the published plans promise (see the HMP Whitemoor 2023 plan in the product brief),
 * each item a question a person on a landing can answer in seconds. Version 1 of each; admins add
 * versions of their own.
 */
const BUILTIN: TemplateVersionInput[] = [
  {
    key: 'daily-servery-check',
    version: 1,
    title: 'Daily servery check',
    description: 'Cleanliness, food quality and temperature at trolley collection and at serving, and portion control.',
    sections: [
      {
        id: 'cleanliness',
        title: 'Cleanliness',
        items: [
          { kind: 'pass-fail', id: 'servery-clean', question: 'Is the servery counter, floor and equipment clean?' },
          { kind: 'pass-fail', id: 'servery-workers-dressed', question: 'Are servery workers in clean whites, hats and gloves?' },
          { kind: 'pass-fail', id: 'hot-trolley-clean', question: 'Is the heated trolley clean inside and out?' },
        ],
      },
      {
        id: 'food',
        title: 'Food quality and temperature',
        items: [
          {
            kind: 'number',
            id: 'temp-collection',
            question: 'Hot food probe temperature at trolley collection',
            unit: '°C',
            min: 63,
            hint: 'UK food safety practice: hot food is kept at 63 °C or above.',
          },
          { kind: 'number', id: 'temp-serving', question: 'Hot food probe temperature at serving', unit: '°C', min: 63 },
          { kind: 'pass-fail', id: 'food-quality', question: 'Does the food look and smell as it should, matching the menu?' },
          { kind: 'pass-fail', id: 'portion-control', question: 'Are portions served as the portion-control guidance says?' },
        ],
      },
      {
        id: 'comments',
        title: 'Food comments',
        items: [
          { kind: 'yes-no', id: 'comments-book-available', question: 'Is the food comments book available at the servery?', noteOnNo: true },
          { kind: 'photo', id: 'servery-photo', question: 'Photo of the servery during serving', required: false },
        ],
      },
    ],
  },
  {
    key: 'daily-unit-cleaning',
    version: 1,
    title: 'Daily unit cleaning checklist',
    description: 'Landings, showers, association areas, servery and a sample of cell standards.',
    sections: [
      {
        id: 'areas',
        title: 'Communal areas',
        items: [
          { kind: 'pass-fail', id: 'landings', question: 'Are the landings swept, mopped and free of litter?' },
          { kind: 'pass-fail', id: 'showers', question: 'Are the showers clean, working and free of mould?' },
          { kind: 'pass-fail', id: 'association', question: 'Are association areas clean and the furniture intact?' },
          { kind: 'pass-fail', id: 'servery-area', question: 'Is the servery area clean after the last meal?' },
        ],
      },
      {
        id: 'cells',
        title: 'Cell standards sample',
        items: [
          { kind: 'number', id: 'cells-checked', question: 'How many cells did you look at?', unit: 'cells', min: 1 },
          { kind: 'number', id: 'cells-below-standard', question: 'How many were below the expected standard?', unit: 'cells', max: 0 },
          { kind: 'text', id: 'cell-actions', question: 'What was done about cells below standard?', required: false },
        ],
      },
    ],
  },
  {
    key: 'weekly-unit-cleaning',
    version: 1,
    title: 'Weekly unit cleaning checklist',
    description: 'The deeper weekly clean of each unit, including the servery.',
    sections: [
      {
        id: 'deep-clean',
        title: 'Weekly clean',
        items: [
          { kind: 'pass-fail', id: 'walls-windows', question: 'Have walls, windows and ledges been cleaned this week?' },
          { kind: 'pass-fail', id: 'servery-deep-clean', question: 'Has the servery had its weekly deep clean, including behind equipment?' },
          { kind: 'pass-fail', id: 'bins-drains', question: 'Are bins emptied and cleaned and drains clear?' },
          { kind: 'pass-fail', id: 'cleaning-materials', question: 'Are cleaning materials stocked and stored safely?' },
        ],
      },
    ],
  },
  {
    key: 'duty-governor-round',
    version: 1,
    title: 'Duty Governor round',
    description: 'Per unit: presence and interactions, living conditions, regime running as planned, servery check done.',
    sections: [
      {
        id: 'round',
        title: 'On the unit',
        items: [
          { kind: 'pass-fail', id: 'staff-present', question: 'Are staff present on the landings and engaging with prisoners?' },
          { kind: 'pass-fail', id: 'interactions', question: 'Were staff–prisoner interactions you saw respectful and positive?' },
          { kind: 'pass-fail', id: 'living-conditions', question: 'Are living conditions (cleanliness, repair, heating) acceptable?' },
          { kind: 'pass-fail', id: 'regime', question: 'Is the regime running as planned (unlock, activities, exercise)?' },
          { kind: 'yes-no', id: 'servery-check-done', question: "Has today's servery check been done and recorded?", noteOnNo: true },
          { kind: 'text', id: 'round-notes', question: 'Anything else seen or raised', required: false },
        ],
      },
    ],
  },
  {
    key: 'weekly-kitchen-quality',
    version: 1,
    title: 'Weekly main kitchen quality check',
    description: 'The Duty Governor’s weekly check of the main kitchen.',
    sections: [
      {
        id: 'kitchen',
        title: 'Main kitchen',
        items: [
          { kind: 'pass-fail', id: 'kitchen-clean', question: 'Is the kitchen clean, with cleaning schedules signed?' },
          { kind: 'pass-fail', id: 'temperature-records', question: 'Are fridge, freezer and cooking temperature records complete?' },
          { kind: 'number', id: 'fridge-temp', question: 'Fridge temperature', unit: '°C', max: 8 },
          { kind: 'pass-fail', id: 'menu-followed', question: 'Is the menu being followed, with choices for special diets?' },
          { kind: 'pass-fail', id: 'tasting', question: 'Did a tasted meal meet the expected quality?' },
        ],
      },
    ],
  },
  {
    key: 'weekly-food-comments-review',
    version: 1,
    title: 'Weekly food comments book review',
    description: 'Food comments books reviewed and signed, with responses to comments.',
    sections: [
      {
        id: 'review',
        title: 'Review',
        items: [
          { kind: 'number', id: 'comments-count', question: 'How many comments were made this week?', unit: 'comments', min: 0 },
          { kind: 'yes-no', id: 'responses-written', question: 'Has every comment had a written response?', noteOnNo: true },
          { kind: 'yes-no', id: 'book-signed', question: 'Have you signed the book for this week?', noteOnNo: true },
          { kind: 'text', id: 'themes', question: 'Themes to pass to the catering manager', required: false },
        ],
      },
    ],
  },
  {
    key: 'monthly-keywork-quality',
    version: 1,
    title: 'Monthly keywork quality sample',
    description: 'The head of residence samples keywork sessions for quality.',
    sections: [
      {
        id: 'sample',
        title: 'Sample',
        items: [
          { kind: 'number', id: 'sessions-sampled', question: 'How many keywork sessions did you sample?', unit: 'sessions', min: 1 },
          { kind: 'choice', id: 'overall-quality', question: 'Overall quality of the sessions sampled', options: ['Good', 'Requires improvement', 'Poor'] },
          { kind: 'pass-fail', id: 'recorded-properly', question: 'Were the sessions recorded properly and on time?' },
          { kind: 'text', id: 'feedback', question: 'Feedback given to keyworkers', required: false },
        ],
      },
    ],
  },
];

/** Validated once, at first use: a broken built-in is a bug to find in the tests, not on a wing. */
export const BUILTIN_TEMPLATES: readonly TemplateVersion[] = BUILTIN.map((t) => TemplateVersion.parse(t));
