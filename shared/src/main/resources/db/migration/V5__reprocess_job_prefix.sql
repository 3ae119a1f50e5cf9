-- A job is driven only by gateways of the deployment that created it: deployments that share a
-- database under different topic prefixes must not publish each other's commands.
ALTER TABLE reprocess_jobs ADD COLUMN topic_prefix text NOT NULL DEFAULT 'sessionflow.';
