import { registerScoreEvent, registerScoredObject } from '../scoring/scoring.registry.js';

/**
 * Leads are scored (src/modules/scoring): their score, grade and reasons are derived, never
 * named by a rule; the web form's submission is the first event rules may count (the forms
 * module records it with recordScoreEvent(tx, actor, 'leads', id, 'form_submitted')).
 */
registerScoredObject({ object: 'leads', derivedFields: ['score', 'grade', 'scoreReasons'] });
registerScoreEvent('leads', {
  key: 'form_submitted',
  label: { vi: 'Gửi biểu mẫu', en: 'Form submitted' },
});
