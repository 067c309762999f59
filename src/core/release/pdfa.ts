import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFHexString, PDFName, PDFString, type PDFDocument, type PDFFont } from 'pdf-lib';
import { defaultPdfAssetsDir } from '../extract/index.js';
import { packageRoot } from '../package-paths.js';

/** The PDF/A part and conformance level Custodian declares for a file it made whole. */
export const PDFA_LEVEL = 'PDF/A-2b';

/** The output intent's condition: the colour space every page image is in. */
const SRGB = 'sRGB IEC61966-2.1';

/**
 * Embeds Liberation Sans (the pdf.js package's copy, metrically Helvetica's, SIL OFL) as a subset: PDF/A wants
 * every font's program in the file, and a text layer in Helvetica widths keeps its word boxes.
 */
export async function embedTextFont(pdf: PDFDocument): Promise<PDFFont> {
  pdf.registerFontkit(fontkit);
  return pdf.embedFont(readFileSync(path.join(defaultPdfAssetsDir(), 'standard_fonts', 'LiberationSans-Regular.ttf')), { subset: true });
}

/**
 * Makes a PDF that `releaseDocument(meta)` began (its /Info: the title, Custodian, the dates) a PDF/A-2b file
 * as far as the document level goes: an XMP packet that says what /Info says plus the PDF/A identification,
 * an sRGB output intent with its ICC profile, and a file identifier in the trailer. The pages are the
 * caller's to keep within PDF/A: opaque DeviceRGB or DeviceGray images, fonts embedded (see
 * {@link embedTextFont}), no annotations; save without object streams (`saveBare`) and the file also keeps to
 * PDF/A-1b's older PDF 1.4 syntax.
 */
export function declarePdfA(pdf: PDFDocument, meta: { title: string; at: Date }): void {
  const at = new Date(Math.floor(meta.at.getTime() / 1000) * 1000); // as /Info has it: no milliseconds
  const { context } = pdf;
  const xmp = context.stream(new TextEncoder().encode(xmpPacket(meta.title, at)), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), context.register(xmp));
  const profile = context.flateStream(readFileSync(path.join(packageRoot(), 'resources', 'icc', 'sRGB.icc')), { N: 3 });
  const intent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of(SRGB),
    Info: PDFString.of(SRGB),
    DestOutputProfile: context.register(profile),
  });
  pdf.catalog.set(PDFName.of('OutputIntents'), context.obj([intent]));
  const id = PDFHexString.of(createHash('sha256').update(`${meta.title}\n${at.toISOString()}`).digest('hex').slice(0, 32));
  context.trailerInfo.ID = context.obj([id, id]);
}

/** The XMP packet: Dublin Core title, the XMP dates and tool, the PDF producer, the PDF/A identification. */
function xmpPacket(title: string, at: Date): string {
  const date = at.toISOString().replace('.000Z', 'Z');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(title)}</rdf:li></rdf:Alt></dc:title>
<xmp:CreatorTool>Custodian</xmp:CreatorTool>
<xmp:CreateDate>${date}</xmp:CreateDate>
<xmp:ModifyDate>${date}</xmp:ModifyDate>
<pdf:Producer>Custodian</pdf:Producer>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

// XML 1.0 has no escape for control characters: they are left out of the title.
const xmlText = (s: string): string =>
  s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/gu, '')
    .replace(/&/gu, '&amp;')
    .replace(/</gu, '&lt;')
    .replace(/>/gu, '&gt;');
