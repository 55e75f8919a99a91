// Owns the import's pure logic: which dropped path to import, labels for formats, encodings and
// mapping targets, the dry-run summary text, progress figures (rows, percent, rate) and tag parsing.
import type { ImportCounts, ImportProgress, MapOverride } from '../api';
import { formatNumber } from '../format';

/** Extensions the import accepts (the delimiter is sniffed, so tab-separated files work too). */
export const IMPORT_EXTENSIONS = ['csv', 'tsv', 'txt'] as const;

export function isImportable(path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return false;
  return (IMPORT_EXTENSIONS as readonly string[]).includes(path.slice(dot + 1).toLowerCase());
}

/** The first importable file among dropped paths, or null when there is none. */
export function importablePath(paths: readonly string[]): string | null {
  return paths.find(isImportable) ?? null;
}

export function fileNameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** `fans.csv` → `fans-rejected.csv`, the default name when saving rejected rows. */
export function rejectedFileName(fileName: string): string {
  const base = fileName.replace(/\.[^.]*$/, '');
  return `${base === '' ? 'import' : base}-rejected.csv`;
}

const FORMAT_LABELS: Record<string, string> = {
  activecampaign: 'ActiveCampaign',
  mailchimp: 'Mailchimp',
  kit: 'Kit',
  mautic: 'Mautic',
  listmonk: 'listmonk',
  fanbase: 'Fanbase export',
  csv: 'Spreadsheet (CSV)',
};

export function formatLabel(format: string): string {
  return FORMAT_LABELS[format] ?? format;
}

const ENCODING_LABELS: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 with BOM',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252 (not valid UTF-8)',
};

export function encodingLabel(encoding: string): string {
  return ENCODING_LABELS[encoding] ?? encoding;
}

export function delimiterLabel(delimiter: string): string {
  if (delimiter === ',') return 'comma';
  if (delimiter === ';') return 'semicolon';
  if (delimiter === '\t') return 'tab';
  return JSON.stringify(delimiter);
}

const TARGET_LABELS: Record<string, string> = {
  email: 'Email',
  tags: 'Tags',
  custom: 'Custom field',
  attributes: 'JSON attributes',
  unsubscribed_at: 'Unsubscribed at',
  cleaned_at: 'Cleaned (bounced) at',
  ignore: "Don't import",
  daw: 'DAW',
};

/** `type_of_music` → `Type of music`; the few special targets have their own words. */
export function targetLabel(target: string): string {
  const known = TARGET_LABELS[target];
  if (known !== undefined) return known;
  const words = target.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The hand-made mapping choices as the overrides the Rust side takes, in header order. */
export function overridesFrom(headers: readonly string[], chosen: Readonly<Record<string, string>>): MapOverride[] {
  return headers.filter((h) => chosen[h] !== undefined).map((h) => ({ header: h, target: chosen[h] }));
}

/** Extra tags typed as `a, b, A` → `['a', 'b']`: trimmed, first spelling kept, case-insensitive. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim();
    const key = tag.toLowerCase();
    if (tag === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

/** "will add 40,112 · update 7,232 · reject 12" — what an import would do (or did). */
export function summaryText(c: ImportCounts, tense: 'will' | 'did' = 'will'): string {
  const [add, update, reject] = tense === 'will' ? ['will add', 'update', 'reject'] : ['added', 'updated', 'rejected'];
  return `${add} ${formatNumber(c.inserted)} · ${update} ${formatNumber(c.updated)} · ${reject} ${formatNumber(c.rejected)}`;
}

/** The quieter outcomes: rows already up to date and rows merged into an earlier one of the file. */
export function summaryDetail(c: ImportCounts): string {
  const parts = [`${formatNumber(c.rows_read)} ${c.rows_read === 1 ? 'row' : 'rows'} read`];
  if (c.unchanged > 0) parts.push(`${formatNumber(c.unchanged)} already up to date`);
  if (c.duplicates_in_file > 0) {
    parts.push(`${formatNumber(c.duplicates_in_file)} ${c.duplicates_in_file === 1 ? 'duplicate' : 'duplicates'} merged`);
  }
  return parts.join(' · ');
}

export interface ProgressFigures {
  rows: number;
  /** 0..100, whole numbers; 100 once every row is read. */
  percent: number;
  /** Rows per second so far, or null before there is anything to measure. */
  rate: number | null;
  finishing: boolean;
}

export function progressFigures(p: ImportProgress): ProgressFigures {
  const finishing = p.phase === 'finishing';
  const ratio = p.total_bytes > 0 ? p.bytes_read / p.total_bytes : 0;
  const percent = finishing ? 100 : Math.max(0, Math.min(99, Math.floor(ratio * 100)));
  const rate = p.elapsed_ms > 0 && p.rows_read > 0 ? Math.round((p.rows_read * 1000) / p.elapsed_ms) : null;
  return { rows: p.rows_read, percent, rate, finishing };
}

/** "12,345 rows · 48% · 210,000 rows/s". */
export function progressText(f: ProgressFigures): string {
  const parts = [`${formatNumber(f.rows)} rows`, `${f.percent}%`];
  if (f.rate !== null) parts.push(`${formatNumber(f.rate)} rows/s`);
  return parts.join(' · ');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatElapsed(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
