/**
 * An OpenDocument text (.odt) document's body as the HTML the importer already reads: paragraphs
 * and headings as <p>, list items as <li>, tables as <table>/<tr>/<td>. A pure transform of
 * content.xml (the file is unzipped by the caller); its elements are few and regular, so no XML
 * library is needed: tags are matched in order, and anything unknown keeps only its text.
 */

const ENTITY: Record<string, string> = { amp: '&amp;', lt: '&lt;', gt: '&gt;', quot: '&quot;', apos: '&#39;' };

/** Repeated empty cells (a spreadsheet habit) are expanded up to this many; more is one cell. */
const MAX_REPEATED_CELLS = 20;

export function odfToHtml(contentXml: string): string {
  const body = /<office:text[\s>][\s\S]*<\/office:text>/.exec(contentXml)?.[0] ?? '';
  const out: string[] = [];
  const tag = /<(\/?)([a-z]+:[a-z-]+)([^>]*?)(\/?)>|([^<]+)/g;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const [, closing, name, attributes = '', selfClosing, text] = m;
    if (text !== undefined) {
      // XML's entities are HTML's too; a numeric one passes through as it is.
      out.push(text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITY[e] ?? ''));
      continue;
    }
    const end = closing === '/';
    switch (name) {
      case 'text:p':
      case 'text:h':
        out.push(selfClosing ? '' : end ? '</p>' : '<p>');
        break;
      case 'text:list':
        out.push(selfClosing ? '' : end ? '</ul>' : '<ul>');
        break;
      case 'text:list-item':
        out.push(selfClosing ? '' : end ? '</li>' : '<li>');
        break;
      case 'text:s':
      case 'text:tab':
      case 'text:line-break':
        out.push(' ');
        break;
      case 'table:table':
        out.push(end ? '</table>' : '<table>');
        break;
      case 'table:table-row':
        out.push(selfClosing ? '' : end ? '</tr>' : '<tr>');
        break;
      case 'table:table-cell':
      case 'table:covered-table-cell': {
        if (end) {
          out.push('</td>');
          break;
        }
        const repeated = Number(/table:number-columns-repeated="(\d+)"/.exec(attributes)?.[1] ?? '1');
        const count = repeated > 1 && repeated <= MAX_REPEATED_CELLS ? repeated : 1;
        // A repeated cell is empty in practice; a merged cell's covered part too.
        out.push(selfClosing ? '<td></td>'.repeat(count) : '<td>');
        break;
      }
      default:
        break;
    }
  }
  return out.join('');
}
