// CSV as RFC 4180 describes it: fields separated by commas, records by CRLF;
// a field holding a comma, a double quote, CR or LF is enclosed in double
// quotes, and a double quote inside it is doubled.

export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export class CsvSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export interface CsvRecord {
  /** Row number as a spreadsheet shows it (1-based; blank rows count, a quoted line break does not). */
  row: number;
  /** Line of the text where the record starts (1-based). */
  line: number;
  fields: string[];
}

/**
 * Parses CSV into records of fields. Accepts CRLF, LF or CR line ends and a
 * leading byte-order mark; a blank line is skipped (but counted as a row).
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let row = 0;
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quotedField = false;
  const endField = () => { fields.push(field); field = ''; quotedField = false; };
  const endRecord = () => {
    endField();
    row++;
    if (!(fields.length === 1 && fields[0] === '')) records.push({ row, line: recordLine, fields });
    fields = [];
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '"' && field === '' && !quotedField) {
      // A quoted field: up to the next lone double quote.
      const startLine = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new CsvSyntaxError(`Line ${startLine}: a quoted field is never closed (a " is missing).`);
        const d = src[i];
        if (d === '"') {
          if (src[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (d === '\n' || (d === '\r' && src[i + 1] !== '\n')) line++;
        field += d;
        i++;
      }
      quotedField = true;
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError(`Line ${line}: unexpected text after a closing double quote; write a " inside a quoted field as "".`);
      }
      continue;
    }
    if (c === ',') { endField(); i++; continue; }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return records;
}
