import bwipjs from 'bwip-js/node';
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';

export type LabelFormat = 'qr' | 'code128';

export interface LabelDevice {
  number: number;
  name: string;
  barcode: string | null;
}

// A4 sheets of 3 × 8 labels (63.5 × 33.9 mm, as common label stock): points, 72 per inch.
const MM = 72 / 25.4;
const PAGE = { width: 210 * MM, height: 297 * MM };
const LABEL = { width: 63.5 * MM, height: 33.9 * MM, columns: 3, rows: 8 };
const MARGIN = {
  left: (PAGE.width - LABEL.columns * LABEL.width) / 2,
  top: (PAGE.height - LABEL.rows * LABEL.height) / 2,
};
const PADDING = 2.5 * MM;

/** What a label encodes: the barcode when the device has one, else its number (`#108`). */
export const labelValue = (device: LabelDevice) => device.barcode ?? `#${device.number}`;

/** The standard PDF fonts cover Latin-1 only: anything else prints as `?` rather than failing the sheet. */
const printable = (text: string) => text.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');

function fitted(text: string, font: PDFFont, size: number, width: number): string {
  let shown = printable(text);
  while (shown.length > 1 && font.widthOfTextAtSize(shown, size) > width) shown = `${shown.slice(0, -2)}…`;
  return shown.replace(/…/g, '...');
}

async function symbol(format: LabelFormat, value: string): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: format === 'qr' ? 'qrcode' : 'code128',
    text: value,
    scale: 3,
    ...(format === 'code128' ? { height: 9, includetext: false } : { eclevel: 'M' }),
  });
}

/** DEV-10: printable labels, QR code or Code 128, several per A4 page, for one device or a selection. */
export async function labelsPdf(devices: readonly LabelDevice[], format: LabelFormat): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('TheStorage device labels');
  pdf.setCreator('TheStorage');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const perPage = LABEL.columns * LABEL.rows;
  let page = pdf.addPage([PAGE.width, PAGE.height]);
  for (const [index, device] of devices.entries()) {
    if (index > 0 && index % perPage === 0) page = pdf.addPage([PAGE.width, PAGE.height]);
    const slot = index % perPage;
    const x = MARGIN.left + (slot % LABEL.columns) * LABEL.width + PADDING;
    const top = PAGE.height - MARGIN.top - Math.floor(slot / LABEL.columns) * LABEL.height - PADDING;
    const inner = { width: LABEL.width - 2 * PADDING, height: LABEL.height - 2 * PADDING };
    const value = labelValue(device);
    const image = await pdf.embedPng(await symbol(format, value));
    let textX = x;
    let textWidth = inner.width;
    if (format === 'qr') {
      const side = inner.height;
      page.drawImage(image, { x, y: top - side, width: side, height: side });
      textX = x + side + PADDING;
      textWidth = inner.width - side - PADDING;
    } else {
      const height = inner.height * 0.45;
      page.drawImage(image, { x, y: top - height, width: inner.width, height });
    }
    const lines: [string, PDFFont, number][] = [
      [device.name, bold, 8],
      [`#${device.number}`, regular, 7.5],
      ...(device.barcode ? ([[device.barcode, regular, 7.5]] as [string, PDFFont, number][]) : []),
    ];
    let y = format === 'qr' ? top - 9 : top - inner.height * 0.45 - 9;
    for (const [text, font, size] of lines) {
      page.drawText(fitted(text, font, size, textWidth), { x: textX, y, size, font, color: rgb(0, 0, 0) });
      y -= size + 2.5;
    }
  }
  return pdf.save();
}
