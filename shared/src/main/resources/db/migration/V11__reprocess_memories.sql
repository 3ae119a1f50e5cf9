-- Reprocessing covers memories (issue 15): a job of kind 'memories' rebuilds users' memories and
-- profiles from their history. Its items are per user: for target 'memories', reprocess_items.session_id
-- holds the user id (the cursor, reprocess_jobs.cursor_session, likewise the last user published).
ALTER TABLE reprocess_jobs DROP CONSTRAINT reprocess_jobs_kind_check;
ALTER TABLE reprocess_jobs ADD CONSTRAINT reprocess_jobs_kind_check CHECK (kind IN ('summaries', 'context', 'both', 'memories'));
ALTER TABLE reprocess_items DROP CONSTRAINT reprocess_items_target_check;
ALTER TABLE reprocess_items ADD CONSTRAINT reprocess_items_target_check CHECK (target IN ('summary', 'context', 'memories'));
