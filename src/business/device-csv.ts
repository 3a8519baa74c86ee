// CSV in and out for devices: an uploaded list of serials (one per line, optional header), and
// the download of devices. Cells that a spreadsheet would run as a formula are neutralised
// (OWASP "CSV injection"): server names and asset tags are user-controlled.
import { parse } from 'csv-parse/sync';
import { normaliseSerial } from './catalogue.js';
import { DomainError, invalid } from './errors.js';

const HEADER = /^(serial|serial ?number|serial_number|device serial number)$/i;

export function parseSerialCsv(text: string, max: number): string[] {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    throw invalid('csv_invalid', `the CSV cannot be read: ${(err as Error).message}`);
  }
  if (rows.length && HEADER.test(rows[0]![0] ?? '')) rows = rows.slice(1);
  if (!rows.length) throw invalid('csv_empty', 'the CSV holds no serial numbers');
  if (rows.length > max) throw invalid('csv_too_large', `at most ${max} serial numbers per CSV`);
  const out = new Set<string>();
  rows.forEach((row, i) => {
    try {
      out.add(normaliseSerial(row[0]));
    } catch (err) {
      if (err instanceof DomainError) throw invalid('csv_invalid', `line ${i + 1}: ${err.message}`, { line: i + 1 });
      throw err;
    }
  });
  return [...out];
}

function cell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180: CRLF line ends, fields quoted when needed. */
export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
