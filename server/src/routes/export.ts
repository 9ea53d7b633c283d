import type { FastifyInstance } from 'fastify';
import { ExportQuery, type ExportFormat } from '../../../src/shared/api/export.ts';
import type { AppDeps } from '../app.ts';
import { authOf } from '../auth/guard.ts';
import { writeCsv } from '../services/export/csv.ts';
import { PacedOutput, produce } from '../services/export/output.ts';
import { writePdf } from '../services/export/pdf.ts';
import { openPack } from '../services/export/reader.ts';
import type { ZodTypeProvider } from '../validation.ts';

const CONTENT_TYPES: Record<ExportFormat, string> = { pdf: 'application/pdf', csv: 'text/csv; charset=utf-8' };

/** Evidence packs for inspectors and governors: the head of residence and admins download them. */
export function exportRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  for (const format of ['pdf', 'csv'] as const) {
    api.get(
      `/api/exports/evidence.${format}`,
      { config: { access: ['head-of-residence', 'admin'] }, schema: { querystring: ExportQuery } },
      async (request, reply) => {
        // Scope and permission are settled before the first byte, so a refusal is still a JSON error.
        const pack = await openPack(deps.db, authOf(request), request.query, deps.clock.now());
        const output = new PacedOutput();
        produce(
          output,
          () => (format === 'pdf' ? writePdf(deps.db, deps.blobs, pack, output) : writeCsv(deps.db, pack, output)),
          (error) => {
            request.log.error({ err: error }, 'evidence pack failed part-way');
          },
        );
        return reply
          .header('content-type', CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="evidence-${pack.fileStem}-${pack.from}-${pack.to}.${format}"`)
          .header('cache-control', 'no-store')
          .send(output.stream);
      },
    );
  }
}
