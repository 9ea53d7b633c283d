import JSZip from 'jszip';

/**
 * A real OpenDocument text file (as LibreOffice writes one: the mimetype first and stored, a
 * manifest, content.xml) with paragraphs before one table. Each cell is its paragraphs; an empty
 * row's cells are written as one repeated cell, as LibreOffice does.
 */
export async function odtDocument(preamble: string[], rows: string[][][]): Promise<Uint8Array> {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paragraph = (text: string) => `<text:p text:style-name="P1">${escape(text).replace(/ {2}/g, ' <text:s/>')}</text:p>`;
  const cell = (paras: string[]) =>
    paras.every((p) => !p) ? '<table:table-cell/>' : `<table:table-cell office:value-type="string">${paras.map(paragraph).join('')}</table:table-cell>`;
  const width = Math.max(...rows.map((r) => r.length));
  const row = (cells: string[][]) =>
    cells.every((c) => c.every((p) => !p))
      ? `<table:table-row><table:table-cell table:number-columns-repeated="${width}"/></table:table-row>`
      : `<table:table-row>${cells.map(cell).join('')}</table:table-row>`;
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  office:version="1.3"><office:body><office:text>
${preamble.map(paragraph).join('\n')}
<table:table table:name="Table1"><table:table-column table:number-columns-repeated="${width}"/>
${rows.map(row).join('\n')}
</table:table>
<text:p/>
</office:text></office:body></office:document-content>`;
  const zip = new JSZip();
  zip.file('mimetype', 'application/vnd.oasis.opendocument.text', { compression: 'STORE' });
  zip.file(
    'META-INF/manifest.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`,
  );
  zip.file('content.xml', content);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
