import type { TemplateVersionRecord } from '../../shared/api/capture.ts';
import { describeRange } from '../../shared/templates/answers.ts';
import type { TemplateItem } from '../../shared/templates/schema.ts';

/** Templates as the admin screens list and show them: one row per template, each item in words. */

/** One item's kind and rules in words, for the read-only view of a version. */
export function describeItem(item: TemplateItem): string {
  const optional = item.required ? '' : ' Optional.';
  switch (item.kind) {
    case 'pass-fail':
      return `Pass or fail${item.noteOnFail ? '; a fail needs a note' : ''}.${optional}`;
    case 'yes-no':
      return `Yes or no${item.noteOnNo ? '; a “No” needs a note' : ''}.${optional}`;
    case 'number': {
      const range = describeRange(item);
      return `Number${item.unit ? ` in ${item.unit}` : ''}${range ? `; acceptable: ${range}` : ''}.${optional}`;
    }
    case 'choice':
      return `One of: ${item.options.join(', ')}.${optional}`;
    case 'text':
      return `Text.${optional}`;
    case 'photo':
      return `Photo.${optional}`;
  }
}

export interface TemplateSummary {
  templateId: string;
  latest: TemplateVersionRecord;
  /** Oldest first. */
  versions: TemplateVersionRecord[];
}

/** GET /api/templates lists every version; the admin screens show one row per template. */
export function groupTemplates(records: readonly TemplateVersionRecord[]): TemplateSummary[] {
  const groups = new Map<string, TemplateSummary>();
  for (const record of records) {
    const group = groups.get(record.templateId);
    if (!group) groups.set(record.templateId, { templateId: record.templateId, latest: record, versions: [record] });
    else {
      group.versions.push(record);
      if (record.definition.version > group.latest.definition.version) group.latest = record;
    }
  }
  const summaries = [...groups.values()];
  for (const group of summaries) group.versions.sort((a, b) => a.definition.version - b.definition.version);
  return summaries.sort((a, b) => a.latest.definition.title.localeCompare(b.latest.definition.title, 'en-GB'));
}
