import type { TemplateVersionRecord } from '../../../src/shared/api/capture.ts';
import { newId } from '../../../src/shared/ids.ts';
import { BUILTIN_TEMPLATES } from '../../../src/shared/templates/builtin.ts';
import { TemplateVersion } from '../../../src/shared/templates/schema.ts';
import { auditAs, type Actor } from '../audit-request.ts';
import type { AuthContext } from '../auth/sessions.ts';
import type { Db, Queryable } from '../db/client.ts';
import { conflict } from '../http-errors.ts';
import { notInMyEstablishment } from '../scope.ts';
import { readBack } from './read-back.ts';
import { handlers } from '../endpoint-handlers.ts';
import { fromJsonColumn } from '../db/json.ts';

/**
 * Gives an establishment the built-in checks it does not have yet. Idempotent, so start-up runs it
 * for every establishment and a new built-in reaches existing databases; never touches a template
 * an admin has versioned since.
 */
export async function ensureBuiltinTemplates(tx: Queryable, establishmentId: string): Promise<void> {
  for (const template of BUILTIN_TEMPLATES) {
    const templateId = newId();
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO templates (id, establishment_id, key, builtin) VALUES ($1, $2, $3, true)
       ON CONFLICT (establishment_id, key) DO NOTHING RETURNING id`,
      [templateId, establishmentId, template.key],
    );
    if (inserted.length === 0) continue;
    await tx.query('INSERT INTO template_versions (id, template_id, version, definition) VALUES ($1, $2, $3, $4)', [
      newId(),
      templateId,
      template.version,
      JSON.stringify(template),
    ]);
  }
}

export async function ensureBuiltinTemplatesEverywhere(db: Queryable): Promise<void> {
  const establishments = await db.query<{ id: string }>('SELECT id FROM establishments');
  for (const { id } of establishments) await ensureBuiltinTemplates(db, id);
}

/** A template version's row, with its template's flags; `definition` is a JSON column (fromJsonColumn). */
export interface TemplateVersionRow {
  id: string;
  template_id: string;
  builtin: boolean;
  archived: boolean;
  created_at: Date;
  definition: unknown;
}

/** A stored template version's definition, parsed through its schema: parsing again catches a row edited by hand. */
export const templateFromColumn = (definition: unknown): TemplateVersion => TemplateVersion.parse(fromJsonColumn(definition));

/** Every version of every template of an establishment (old versions render old checks). */
export async function listTemplateVersions(
  db: Queryable,
  establishmentId: string,
  filter: { templateId?: string; versionId?: string } = {},
): Promise<TemplateVersionRecord[]> {
  const rows = await db.query<TemplateVersionRow>(
    `SELECT v.id, v.template_id, t.builtin, t.archived_at IS NOT NULL AS archived, v.created_at, v.definition
     FROM template_versions v JOIN templates t ON t.id = v.template_id
     WHERE t.establishment_id = $1 AND ($2::uuid IS NULL OR t.id = $2::uuid) AND ($3::uuid IS NULL OR v.id = $3::uuid)
     ORDER BY t.key, v.version`,
    [establishmentId, filter.templateId ?? null, filter.versionId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    templateId: r.template_id,
    builtin: r.builtin,
    archived: r.archived,
    createdAt: r.created_at.toISOString(),
    // Stored through the same schema: parsing again catches a row edited by hand.
    definition: templateFromColumn(r.definition),
  }));
}

/** Writes the next version of a template; the caller has validated the definition. */
export async function insertTemplateVersion(
  tx: Queryable,
  templateId: string,
  definition: Omit<TemplateVersion, 'version'>,
  createdBy: string,
): Promise<{ id: string; version: number }> {
  // Locking the template row numbers concurrent new versions one after the other.
  await tx.query('SELECT id FROM templates WHERE id = $1 FOR UPDATE', [templateId]);
  const [last] = await tx.query<{ version: number | null }>('SELECT max(version) AS version FROM template_versions WHERE template_id = $1', [
    templateId,
  ]);
  const version = (last?.version ?? 0) + 1;
  const id = newId();
  const full = TemplateVersion.parse({ ...definition, version });
  await tx.query('INSERT INTO template_versions (id, template_id, version, definition, created_by) VALUES ($1, $2, $3, $4, $5)', [
    id,
    templateId,
    version,
    JSON.stringify(full),
    createdBy,
  ]);
  return { id, version };
}

/** A template of the asker's establishment, or 403/404 as scope.ts words it. */
async function myTemplate(db: Queryable, auth: AuthContext, id: string): Promise<{ id: string; key: string }> {
  const [row] = await db.query<{ id: string; key: string }>('SELECT id, key FROM templates WHERE id = $1 AND establishment_id = $2', [
    id,
    auth.establishmentId,
  ]);
  if (row) return row;
  throw await notInMyEstablishment(db, 'templates', id, 'Template', 'That template belongs to another establishment.');
}

type Definition = Omit<TemplateVersion, 'version' | 'key'>;

/** A new template (its first version); keys are unique in an establishment. */
export async function createTemplate(db: Db, actor: Actor, key: string, definition: Definition): Promise<TemplateVersionRecord> {
  const here = actor.auth.establishmentId;
  const [taken] = await db.query('SELECT 1 FROM templates WHERE establishment_id = $1 AND key = $2', [here, key]);
  if (taken) throw conflict(`There is already a template called ${key}: add a version to it instead.`);
  const templateId = newId();
  const created = await db.transaction(async (tx) => {
    await tx.query('INSERT INTO templates (id, establishment_id, key) VALUES ($1, $2, $3)', [templateId, here, key]);
    const version = await insertTemplateVersion(tx, templateId, { key, ...definition }, actor.auth.userId);
    const details = { key, title: definition.title, version: version.version };
    await auditAs(tx, actor, { action: 'template.create', entityType: 'template', entityId: templateId, details });
    return version;
  });
  return readBack(listTemplateVersions(db, here, { versionId: created.id }), `template version ${created.id}`);
}

/** The next version of a template: checks made with earlier ones keep theirs. */
export async function addTemplateVersion(
  db: Db,
  actor: Actor,
  id: string,
  definition: Definition,
): Promise<TemplateVersionRecord> {
  const template = await myTemplate(db, actor.auth, id);
  const created = await db.transaction(async (tx) => {
    const version = await insertTemplateVersion(tx, template.id, { key: template.key, ...definition }, actor.auth.userId);
    const details = { key: template.key, title: definition.title, version: version.version };
    await auditAs(tx, actor, { action: 'template.version', entityType: 'template', entityId: template.id, details });
    return version;
  });
  return readBack(listTemplateVersions(db, actor.auth.establishmentId, { versionId: created.id }), `template version ${created.id}`);
}

/** Archives a template (no new checks with it) or brings it back; its versions stay readable. */
export async function setTemplateArchived(db: Db, actor: Actor, id: string, archived: boolean): Promise<TemplateVersionRecord[]> {
  const template = await myTemplate(db, actor.auth, id);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE templates SET archived_at = $2 WHERE id = $1', [template.id, archived ? actor.now : null]);
    const action = archived ? 'template.archive' : 'template.restore';
    await auditAs(tx, actor, { action, entityType: 'template', entityId: template.id, details: { key: template.key } });
  });
  return listTemplateVersions(db, actor.auth.establishmentId, { templateId: template.id });
}

export const templateHandlers = handlers({
  // Every version, old ones included: a device must render a check with the version it was made with.
  'templates.list': (_, { deps, auth }) => listTemplateVersions(deps.db, auth().establishmentId),
  'templates.create': ({ body }, { deps, actor }) => {
    const { key, ...definition } = body;
    return createTemplate(deps.db, actor(), key, definition);
  },
  'templates.addVersion': ({ params, body }, { deps, actor }) => addTemplateVersion(deps.db, actor(), params.id, body),
  'templates.update': ({ params, body }, { deps, actor }) => setTemplateArchived(deps.db, actor(), params.id, body.archived),
});
