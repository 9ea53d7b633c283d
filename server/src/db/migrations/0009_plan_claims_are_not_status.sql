-- A plan that says an action is "Complete" used to make it complete on import, with no evidence
-- behind it: the establishment's claim passed for the head of residence's judgement. The importer
-- now starts every action not started (the plan's word stays in actions.complete and the target).
-- Actions made complete that way go back to not started; one whose status a person has set since
-- (the audit log records each change) keeps what they set. The version moves on, so a status
-- change a tablet queued against the old one is refused and shown to its author, not applied.
UPDATE actions a SET status = 'not-started', version = a.version + 1
WHERE a.status = 'complete' AND a.complete
  AND NOT EXISTS (
    SELECT 1 FROM audit_log l
    WHERE l.entity_type = 'action' AND l.entity_id = a.id::text AND l.action = 'action.set-status'
  );
