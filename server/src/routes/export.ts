import type { ExportFormat, ExportRequest } from '../../../src/shared/api/export.ts';
import { handlers, type HandlerContext } from '../endpoint-handlers.ts';
import { writeCsv } from '../services/export/csv.ts';
import { exportJob, listExports, queueExport, readyPack } from '../services/export/jobs.ts';
import { PacedOutput, produce } from '../services/export/output.ts';
import { writePdf } from '../services/export/pdf.ts';
import { openPack } from '../services/export/reader.ts';

const CONTENT_TYPES: Record<ExportFormat, string> = { pdf: 'application/pdf', csv: 'text/csv; charset=utf-8' };

/** Streams an evidence pack as a download. */
async function sendPack(format: ExportFormat, query: ExportRequest, { deps, auth, request, reply }: HandlerContext) {
  // Scope and permission are settled before the first byte, so a refusal is still a JSON error.
  const pack = await openPack(deps.db, auth(), query, deps.clock.now());
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
}

/** Evidence packs for inspectors and governors: the head of residence and admins download them. */
export const exportHandlers = handlers({
  'exports.pdf': ({ query }, context) => sendPack('pdf', query, context),
  'exports.csv': ({ query }, context) => sendPack('csv', query, context),

  'exports.create': async ({ body }, { deps, actor }) => {
    const job = await queueExport(deps.db, actor(), body);
    deps.exportWorker?.wake();
    return job;
  },
  'exports.list': (_, { deps, auth, reply }) => {
    void reply.header('cache-control', 'no-store');
    return listExports(deps.db, auth());
  },
  'exports.get': ({ params }, { deps, auth, reply }) => {
    void reply.header('cache-control', 'no-store');
    return exportJob(deps.db, auth(), params.id);
  },
  'exports.file': async ({ params }, { deps, auth, reply }) => {
    const { row, bytes } = await readyPack(deps.db, deps.blobs, auth(), params.id);
    return reply
      .header('content-type', CONTENT_TYPES[row.format])
      .header('content-disposition', `attachment; filename="${row.file_name}"`)
      .header('content-length', row.file_size ?? undefined)
      .header('cache-control', 'no-store')
      .send(bytes);
  },
});
