import type { ImportField } from '@thestorage/contracts';

/** Header text reduced to letters and digits, lower-cased: "Serial No.", "serial_no" and "SerialNo" agree. */
export const headerKey = (header: string) =>
  header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9#]/g, '');

/**
 * DEV-12: the headers each field answers to (as header keys), from our own template and export and from
 * the spreadsheets people bring from other tools. The first column to match a field takes it.
 */
const SYNONYMS: Record<Exclude<ImportField, 'attribute'>, readonly string[]> = {
  name: ['name', 'devicename', 'device', 'assetname', 'asset', 'itemname', 'item', 'title'],
  serial: ['serial', 'serialnumber', 'serialno', 'serial#', 'sn', 'serialnr'],
  category: ['category', 'type', 'devicetype', 'assettype', 'kind', 'devicecategory'],
  status: ['status', 'state', 'devicestatus', 'assetstatus'],
  assigned: ['assigned', 'assignedto', 'assignee', 'owner', 'holder', 'checkedoutto', 'location', 'place'],
  employee: [
    'employee',
    'employeeemail',
    'employeeemailorusername',
    'email',
    'useremail',
    'username',
    'upn',
    'assignedemail',
  ],
  barcode: ['barcode', 'assettag', 'assetid', 'companydeviceid', 'inventorynumber', 'tagnumber'],
  price: ['price', 'cost', 'purchaseprice', 'purchasecost', 'value', 'amount'],
  currency: ['currency', 'currencycode'],
  vendor: ['vendor', 'supplier', 'seller', 'reseller'],
  invoiceNumber: ['invoicenumber', 'invoiceno', 'invoice', 'invoice#', 'invoicenr'],
  invoiceDate: ['invoicedate', 'purchasedate', 'dateofpurchase', 'purchased', 'boughton'],
  poExtension: ['poextension', 'po', 'ponumber', 'purchaseorder', 'po#'],
  warrantyEnd: [
    'warrantyend',
    'warranty',
    'warrantyexpires',
    'warrantyexpiry',
    'warrantyuntil',
    'warrantyenddate',
    'warrantyexpiration',
    'warrantyexpirationdate',
  ],
  tags: ['tags', 'tag', 'labels'],
  comment: ['comment', 'comments', 'note', 'notes', 'remarks'],
  // Columns of our own export that an import cannot set: numbers and times are the system's.
  ignore: [
    'number',
    '#',
    'no',
    'id',
    'created',
    'modified',
    'updated',
    'createdat',
    'updatedat',
    'displayname',
  ],
};

const FIELD_BY_KEY = new Map<string, ImportField>();
for (const [field, keys] of Object.entries(SYNONYMS) as [ImportField, readonly string[]][]) {
  for (const key of keys) FIELD_BY_KEY.set(key, field);
}

/** Our template's headers, in this order. */
export const TEMPLATE_HEADERS: readonly [string, ImportField][] = [
  ['Name', 'name'],
  ['Serial number', 'serial'],
  ['Category', 'category'],
  ['Status', 'status'],
  ['Assigned to', 'assigned'],
  ['Barcode', 'barcode'],
  ['Price', 'price'],
  ['Currency', 'currency'],
  ['Vendor', 'vendor'],
  ['Invoice number', 'invoiceNumber'],
  ['Invoice date', 'invoiceDate'],
  ['PO extension', 'poExtension'],
  ['Warranty end', 'warrantyEnd'],
  ['Tags', 'tags'],
  ['Comment', 'comment'],
];

/**
 * The automatic mapping: each header matched to a field by its synonyms (case, spacing and punctuation
 * ignored), a header naming an attribute of one of the tenant's categories to that attribute, anything
 * else ignored. A field is taken by the first column that matches it; later ones are ignored.
 */
export function automaticMapping(
  headers: readonly string[],
  attributeNames: ReadonlySet<string>,
): ImportField[] {
  const taken = new Set<ImportField>();
  return headers.map((header) => {
    const key = headerKey(header);
    const field = FIELD_BY_KEY.get(key);
    if (field && field !== 'ignore' && !taken.has(field)) {
      taken.add(field);
      return field;
    }
    if (field === undefined && attributeNames.has(header.trim().toLowerCase())) return 'attribute';
    return 'ignore';
  });
}
