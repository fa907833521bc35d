import type { LocalisedText } from '../../core/errors.js';

/**
 * The scoring registry: the record objects whose records carry a score (their table has the
 * columns `score`, `grade` and `score_reasons`) and the events each module records for them.
 * Leads register `form_submitted`; a later module adds its own (`email_replied`,
 * `meeting_held`) with registerScoreEvent() and records them with recordScoreEvent()
 * (scoring.events.ts). Admins choose the points of each event in Settings.
 */
export interface ScoreEventType {
  key: string;
  label: LocalisedText;
}

export interface ScoredObject {
  /** The record object's key (its table is the registry's, records/registry.ts). */
  object: string;
  /** Fields a rule may not name: the score's own (a rule on the score would feed itself). */
  derivedFields: string[];
}

const objects = new Map<string, ScoredObject>();
const events = new Map<string, Map<string, ScoreEventType>>();

export function registerScoredObject(object: ScoredObject): void {
  objects.set(object.object, object);
}

export function scoredObject(key: string): ScoredObject | undefined {
  return objects.get(key);
}

export function scoredObjects(): ScoredObject[] {
  return [...objects.values()];
}

/** Register an event kind of an object (idempotent by key). */
export function registerScoreEvent(object: string, event: ScoreEventType): void {
  let map = events.get(object);
  if (!map) events.set(object, (map = new Map()));
  map.set(event.key, event);
}

export function scoreEventTypes(object: string): ScoreEventType[] {
  return [...(events.get(object)?.values() ?? [])];
}

export function scoreEventType(object: string, key: string): ScoreEventType | undefined {
  return events.get(object)?.get(key);
}

/** The grade thresholds and decay a workspace starts with. */
export const DEFAULT_SCORING_SETTINGS = {
  gradeA: 50,
  gradeB: 30,
  gradeC: 15,
  decayPerWeek: 0,
} as const;

/** The reason line of the decay. */
export const DECAY_LABEL: LocalisedText = { vi: 'Giảm theo thời gian', en: 'Decay over time' };
