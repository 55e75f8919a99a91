// Owns the tests of the import's pure logic: dropped paths, labels, summary text, progress figures and tags.
import { describe, expect, it } from 'vitest';
import type { ImportCounts, ImportProgress } from '../api';
import {
  delimiterLabel,
  encodingLabel,
  fileNameOf,
  formatLabel,
  importablePath,
  overridesFrom,
  parseTags,
  progressFigures,
  progressText,
  rejectedFileName,
  summaryDetail,
  summaryText,
  targetLabel,
} from './importFlow';
import { dropStep } from './useFileDrop';

const counts = (c: Partial<ImportCounts>): ImportCounts => ({
  rows_read: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  duplicates_in_file: 0,
  rejected: 0,
  ...c,
});

const progress = (p: Partial<ImportProgress>): ImportProgress => ({
  phase: 'reading',
  bytes_read: 0,
  total_bytes: 0,
  elapsed_ms: 0,
  ...counts({}),
  ...p,
});

describe('which dropped file is imported', () => {
  it('takes the first CSV-like path, whatever the case of its extension', () => {
    expect(importablePath(['/a/photo.png', '/a/List.CSV', '/a/b.csv'])).toBe('/a/List.CSV');
    expect(importablePath(['C:\\exports\\fans.tsv'])).toBe('C:\\exports\\fans.tsv');
    expect(importablePath(['/a/photo.png', '/a/noext'])).toBeNull();
    expect(importablePath([])).toBeNull();
  });

  it('names files and their rejected-rows copy', () => {
    expect(fileNameOf('/home/me/Downloads/export.csv')).toBe('export.csv');
    expect(fileNameOf('C:\\Users\\me\\export.csv')).toBe('export.csv');
    expect(rejectedFileName('export.csv')).toBe('export-rejected.csv');
    expect(rejectedFileName('.csv')).toBe('import-rejected.csv');
  });
});

describe('the drag-and-drop steps', () => {
  const at = { x: 1, y: 1 } as never;
  it('highlights while a file hovers, and says when it cannot be imported', () => {
    expect(dropStep(null, { type: 'enter', paths: ['/a.csv'], position: at }).hover).toEqual({ importable: true });
    expect(dropStep(null, { type: 'enter', paths: ['/a.pdf'], position: at }).hover).toEqual({ importable: false });
    expect(dropStep({ importable: false }, { type: 'over', position: at }).hover).toEqual({ importable: false });
    expect(dropStep({ importable: true }, { type: 'leave' })).toEqual({ hover: null, outcome: { kind: 'none' } });
  });

  it('hands over the dropped CSV, or the names of what cannot be imported', () => {
    expect(dropStep({ importable: true }, { type: 'drop', paths: ['/x.png', '/a.csv'], position: at })).toEqual({
      hover: null,
      outcome: { kind: 'file', path: '/a.csv' },
    });
    expect(dropStep({ importable: false }, { type: 'drop', paths: ['/x.png'], position: at }).outcome).toEqual({
      kind: 'unsupported',
      names: ['/x.png'],
    });
  });
});

describe('labels', () => {
  it('names formats, encodings, separators and mapping targets in plain words', () => {
    expect(formatLabel('activecampaign')).toBe('ActiveCampaign');
    expect(formatLabel('csv')).toBe('Spreadsheet (CSV)');
    expect(formatLabel('future_tool')).toBe('future_tool');
    expect(encodingLabel('utf-8-bom')).toBe('UTF-8 with BOM');
    expect(encodingLabel('windows-1252')).toContain('Windows-1252');
    expect(delimiterLabel(';')).toBe('semicolon');
    expect(delimiterLabel('\t')).toBe('tab');
    expect(targetLabel('type_of_music')).toBe('Type of music');
    expect(targetLabel('ignore')).toBe("Don't import");
    expect(targetLabel('daw')).toBe('DAW');
  });
});

describe('mapping overrides and tags', () => {
  it('sends only the columns changed by hand, in header order', () => {
    expect(overridesFrom(['Email', 'Mail 2', 'Notes'], { Notes: 'ignore', 'Mail 2': 'custom' })).toEqual([
      { header: 'Mail 2', target: 'custom' },
      { header: 'Notes', target: 'ignore' },
    ]);
    expect(overridesFrom(['Email'], {})).toEqual([]);
  });

  it('parses extra tags: trimmed, blank ones dropped, first spelling kept', () => {
    expect(parseTags(' Spring Promo, vip ,, VIP, spring promo ')).toEqual(['Spring Promo', 'vip']);
    expect(parseTags('')).toEqual([]);
  });
});

describe('summary and progress', () => {
  it('reads like the issue: will add · update · reject, with grouped numbers', () => {
    const c = counts({ rows_read: 47_356, inserted: 40_112, updated: 7_232, rejected: 12 });
    expect(summaryText(c)).toBe('will add 40,112 · update 7,232 · reject 12');
    expect(summaryText(c, 'did')).toBe('added 40,112 · updated 7,232 · rejected 12');
  });

  it('mentions unchanged rows and merged duplicates only when there are some', () => {
    expect(summaryDetail(counts({ rows_read: 1 }))).toBe('1 row read');
    expect(summaryDetail(counts({ rows_read: 9, unchanged: 2, duplicates_in_file: 1 }))).toBe(
      '9 rows read · 2 already up to date · 1 duplicate merged',
    );
  });

  it('computes rows, percent (from bytes) and rate', () => {
    const f = progressFigures(progress({ rows_read: 50_000, bytes_read: 2_500, total_bytes: 10_000, elapsed_ms: 500 }));
    expect(f).toEqual({ rows: 50_000, percent: 25, rate: 100_000, finishing: false });
    expect(progressText(f)).toBe('50,000 rows · 25% · 100,000 rows/s');
  });

  it('never shows 100% before the end, and has no rate before the first rows', () => {
    expect(progressFigures(progress({ rows_read: 9, bytes_read: 10, total_bytes: 10, elapsed_ms: 1 })).percent).toBe(99);
    expect(progressFigures(progress({ phase: 'finishing', bytes_read: 10, total_bytes: 10 })).percent).toBe(100);
    expect(progressFigures(progress({})).rate).toBeNull();
    expect(progressFigures(progress({ total_bytes: 0 })).percent).toBe(0);
  });
});
