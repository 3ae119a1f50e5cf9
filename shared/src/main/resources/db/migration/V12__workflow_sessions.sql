-- Workflows: a session typed 'workflow', and the workflow's own run beside its steps' runs (agents and
-- teams, children of the workflow run through parent_run_id).
ALTER TABLE sessions DROP CONSTRAINT sessions_session_type_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_session_type_check CHECK (session_type IN ('agent', 'team', 'workflow'));
ALTER TABLE runs DROP CONSTRAINT runs_component_type_check;
ALTER TABLE runs ADD CONSTRAINT runs_component_type_check CHECK (component_type IN ('agent', 'team', 'workflow'));
