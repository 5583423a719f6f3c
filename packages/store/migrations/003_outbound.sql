-- Outbound messages caused by events: webhook delivery jobs and confirmation SMS decisions.

-- One row per webhook job (one per event of an account with a webhook), written by the
-- recorder before it publishes the job. `event_seq` is the event's position in the history
-- (optout_events.id, allocated in the event's own transaction): the dispatcher delivers a job
-- only when no earlier job of the same (account, channel, identifier) is still pending, which
-- keeps delivery order per identifier across retries, replicas and restarts.
CREATE TABLE webhook_jobs (
  event_id        uuid PRIMARY KEY,
  event_seq       bigint NOT NULL,
  account_id      text NOT NULL,
  channel         text NOT NULL,
  identifier      text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead', 'skipped')),
  attempts        integer NOT NULL DEFAULT 0,
  last_status     integer,
  last_error      text,
  next_attempt_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_jobs_pending_idx ON webhook_jobs (account_id, channel, identifier, event_seq) WHERE status = 'pending';

-- When the last confirmation SMS went to an identifier from an account, per action (a
-- repeated STOP within the account's window gets none).
CREATE TABLE sms_confirmations (
  account_id   text NOT NULL,
  channel      text NOT NULL,
  identifier   text NOT NULL,
  action       text NOT NULL CHECK (action IN ('opt_out', 'opt_in')),
  last_sent_at timestamptz NOT NULL,
  last_event_id uuid NOT NULL,
  PRIMARY KEY (account_id, channel, identifier, action)
);

-- The decision taken for one event, so that a redelivered event republishes the same
-- confirmation (same id, same text) or again none, instead of deciding a second time.
-- `payload` is NULL while the deciding transaction runs and when no confirmation is sent.
CREATE TABLE sms_confirmation_decisions (
  event_id   uuid PRIMARY KEY,
  payload    jsonb,
  decided_at timestamptz NOT NULL DEFAULT now()
);
