-- Retention (packages/store/src/retention.ts) deletes finished webhook jobs and old confirmation
-- records in batches of the oldest first; these indexes let each batch find its rows without
-- reading the table. Small on a new installation. On a large existing one (tens of millions of
-- webhook jobs), create them beforehand without blocking writes, then migrate (IF NOT EXISTS
-- then finds them):
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS webhook_jobs_finished_idx ON webhook_jobs (updated_at) WHERE status <> 'pending';
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS sms_confirmations_last_sent_idx ON sms_confirmations (last_sent_at);
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS sms_confirmation_decisions_decided_idx ON sms_confirmation_decisions (decided_at);
CREATE INDEX IF NOT EXISTS webhook_jobs_finished_idx ON webhook_jobs (updated_at) WHERE status <> 'pending';
CREATE INDEX IF NOT EXISTS sms_confirmations_last_sent_idx ON sms_confirmations (last_sent_at);
CREATE INDEX IF NOT EXISTS sms_confirmation_decisions_decided_idx ON sms_confirmation_decisions (decided_at);
