// Owns the segments area's IPC calls (src-tauri/src/commands/segments.rs over crates/fanbase-segments).
import { invoke } from '@tauri-apps/api/core';
import { toApiError } from '../api';

/** Segment JSON: nested `all` / `any` / `none` groups of `{field, op, value}` conditions. */
export type SegmentJson = { all: SegmentJson[] } | { any: SegmentJson[] } | { none: SegmentJson[] } | SegmentCondition;

export interface SegmentCondition {
  field: string;
  op: string;
  value?: unknown;
}

export type FieldKind = 'text' | 'number' | 'boolean' | 'date' | 'tags';

/** One entry of the field picker, as the domain's catalog gives it. */
export interface FieldSpec {
  field: string;
  kind: FieldKind;
  ops: string[];
  /** The closed set of values of `type` and `status`. */
  values?: string[];
}

export interface SavedSegment {
  name: string;
  builtin: boolean;
  definition: SegmentJson;
  created_at: number | null;
  updated_at: number | null;
}

export interface CountedSegment extends SavedSegment {
  count: number;
}

/** Error codes of this area the UI branches on. */
export const SEGMENT_CODES = {
  invalid: 'SEGMENT_INVALID',
  exists: 'SEGMENT_EXISTS',
  builtin: 'SEGMENT_BUILTIN',
  notFound: 'SEGMENT_NOT_FOUND',
} as const;

async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw toApiError(err);
  }
}

/** Validates the segment and returns its exact count now; an invalid one fails with SEGMENT_INVALID and the bad node's path. */
export function segmentsCount(storeId: string, definition: SegmentJson): Promise<number> {
  return call<number>('segments_count', { storeId, definition });
}

export function segmentsFields(storeId: string): Promise<FieldSpec[]> {
  return call<FieldSpec[]>('segments_fields', { storeId });
}

export function segmentsList(storeId: string): Promise<CountedSegment[]> {
  return call<CountedSegment[]>('segments_list', { storeId });
}

export function segmentsShow(storeId: string, name: string): Promise<SavedSegment> {
  return call<SavedSegment>('segments_show', { storeId, name });
}

export function segmentsSave(storeId: string, name: string, definition: SegmentJson, replace: boolean): Promise<SavedSegment> {
  return call<SavedSegment>('segments_save', { storeId, name, definition, replace });
}

export function segmentsDelete(storeId: string, name: string): Promise<void> {
  return call<void>('segments_delete', { storeId, name });
}

/** A lead-scoring rule: points for each event of a kind (optionally expiring), or while a fan matches a condition. */
export interface ScoringRule {
  name: string;
  event?: string;
  condition?: SegmentJson;
  points: number;
  expires_days?: number;
}

export interface Recomputed {
  contacts: number;
  changed: number;
}

export function scoringRules(storeId: string): Promise<ScoringRule[]> {
  return call<ScoringRule[]>('scoring_rules', { storeId });
}

export function scoringEventKinds(): Promise<string[]> {
  return call<string[]>('scoring_event_kinds', {});
}

/** Adds or replaces (by name) a rule; an invalid one fails with RULE_INVALID and the path inside the rule. */
export function scoringRuleSet(storeId: string, rule: ScoringRule): Promise<ScoringRule> {
  return call<ScoringRule>('scoring_rule_set', { storeId, rule });
}

export function scoringRuleDelete(storeId: string, name: string): Promise<void> {
  return call<void>('scoring_rule_delete', { storeId, name });
}

export function scoringRecompute(storeId: string): Promise<Recomputed> {
  return call<Recomputed>('scoring_recompute', { storeId });
}
