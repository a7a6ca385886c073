import { escapeHtml } from './escape.ts';

/**
 * Wide back-office tables become cards on a phone (CSS in global.css, `.bo-cards`): each body cell
 * gets its column heading as `data-label`, shown before the value when rows stack. Reads the one
 * `<thead>` row of a rendered table and labels the `<td>`s of each body row in order (`colspan`
 * respected). Markup it does not understand is returned unchanged.
 */
const strip = (html: string) => html.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();

export function labelTableCells(html: string): string {
  const head = /<thead[^>]*>([\s\S]*?)<\/thead>/i.exec(html);
  if (!head || /<table/i.test(head[1]!)) return html;
  const labels = [...head[1]!.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/gi)].map((m) => decode(strip(m[1]!)));
  if (labels.length === 0) return html;
  return html.replace(/<tbody[^>]*>[\s\S]*?<\/tbody>/gi, (body) =>
    body.replace(/<tr\b[^>]*>[\s\S]*?<\/tr>/gi, (row) => {
      let column = 0;
      return row.replace(/<td\b([^>]*)>/gi, (cell, attrs: string) => {
        const label = labels[column] ?? '';
        column += Number(/colspan="?(\d+)/i.exec(attrs)?.[1] ?? 1);
        if (/data-label=/i.test(attrs)) return cell;
        return `<td data-label="${escapeHtml(label)}"${attrs}>`;
      });
    }),
  );
}

/** Headings come out of rendered HTML: undo the escaping before escaping once more for the attribute. */
function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
