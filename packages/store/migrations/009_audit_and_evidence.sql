-- Compliance evidence, the audit trail, and the webhook delivery log's redeliveries.

-- The evidence export reads a list's events in a time range (GET /v1/accounts/{id}/evidence,
-- `optout evidence export`): without this index it reads the whole list. On a large existing
-- installation create it beforehand without blocking writes, then migrate (IF NOT EXISTS finds it):
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS optout_events_time_idx ON optout_events (scope, channel, occurred_at, id);
CREATE INDEX IF NOT EXISTS optout_events_time_idx ON optout_events (scope, channel, occurred_at, id);

-- Who did what through the API. Written in the transaction of the change it records wherever the
-- change is one transaction (settings, scope changes, tokens, manual opt-outs); an import, many
-- transactions long, is recorded when it ends. The actor is the admin token or an API token's
-- id (public: it is in the token list), never a token or a secret; `details` names the settings
-- that changed, not their values.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('admin', 'token')),
  actor_token_id text CHECK ((actor_kind = 'token') = (actor_token_id IS NOT NULL)),
  action      text NOT NULL,
  target      text,
  request_id  text,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_account_idx ON audit_log (account_id, id);

-- An API token may also read its account's audit trail.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_permissions_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_permissions_check
  CHECK (cardinality(permissions) > 0 AND permissions <@ ARRAY['read', 'write', 'audit:read']);

-- How often an operator asked for a job to be delivered again (POST .../redeliver): each
-- redelivery is a new message (its own Nats-Msg-Id) and starts the attempts anew.
ALTER TABLE webhook_jobs ADD COLUMN redeliveries integer NOT NULL DEFAULT 0;
ALTER TABLE webhook_jobs ADD COLUMN last_redelivered_at timestamptz;
-- The delivery log of an account, newest first.
CREATE INDEX IF NOT EXISTS webhook_jobs_account_idx ON webhook_jobs (account_id, event_seq);
