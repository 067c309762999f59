/**
 * A one-page PDF whose text layer decodes to `text` exactly, control characters included: each distinct
 * character gets a one-byte code and a ToUnicode CMap entry, which is how a hostile PDF smuggles an escape
 * sequence into what pdf.js extracts (pdf-lib's standard fonts cannot encode controls at all).
 */
export function controlTextPdf(text: string): Buffer {
  const chars = [...new Set(text.replaceAll('\n', ''))];
  if (chars.length > 254) throw new Error('controlTextPdf: too many distinct characters');
  const code = new Map(chars.map((c, i) => [c, i + 1]));
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
  const utf16 = (c: string) => [...c].map((u) => hex(u.codePointAt(0)!, 4)).join('');
  const cmap = [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Custodian-Test def /CMapType 2 def',
    '1 begincodespacerange <01> <FF> endcodespacerange',
    `${chars.length} beginbfchar`,
    ...chars.map((c) => `<${hex(code.get(c)!, 2)}> <${utf16(c)}>`),
    'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
  const shown = text
    .split('\n')
    .map((line) => `<${[...line].map((c) => hex(code.get(c)!, 2)).join('')}> Tj T*`)
    .join(' ');
  const content = `BT /F1 12 Tf 72 720 Td 14 TL ${shown} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 1 /LastChar 255 /Widths [${Array(255).fill(500).join(' ')}] /ToUnicode 6 0 R >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Length ${cmap.length} >>\nstream\n${cmap}\nendstream`,
  ];
  let out = '%PDF-1.7\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
