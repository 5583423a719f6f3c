-- Channels are rows, not code: a third channel (whatsapp, push) is one INSERT plus a normalizer.
CREATE TABLE channels (
  name        text PRIMARY KEY,
  description text NOT NULL
);
INSERT INTO channels (name, description) VALUES
  ('sms', 'E.164 phone number'),
  ('email', 'normalized email address (lower-case, punycode domain)');

CREATE TABLE organizations (
  id         text PRIMARY KEY,
  name       text,
  settings   jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  id              text PRIMARY KEY,
  organization_id text NOT NULL REFERENCES organizations (id),
  list_scope      text NOT NULL DEFAULT 'organization' CHECK (list_scope IN ('organization', 'account')),
  default_country text CHECK (default_country ~ '^[A-Z]{2}$'),
  settings        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_organization_idx ON accounts (organization_id);

-- Append-only history. Every key starts with scope so the table can be hash-partitioned by
-- scope when one node is outgrown. Idempotency: one event per (scope, source, source_id), where
-- source_id is the gateway's message id, the click id, the API request id or the import row key.
CREATE TABLE optout_events (
  id          bigint GENERATED ALWAYS AS IDENTITY,
  event_id    uuid NOT NULL DEFAULT gen_random_uuid(),
  scope       text NOT NULL,
  channel     text NOT NULL REFERENCES channels (name),
  identifier  text NOT NULL,
  action      text NOT NULL CHECK (action IN ('opt_out', 'opt_in')),
  source      text NOT NULL CHECK (source IN ('sms_keyword', 'link_click', 'email_one_click', 'email_link', 'email_mailto', 'api', 'import')),
  source_id   text NOT NULL,
  reason      text,
  evidence    jsonb NOT NULL DEFAULT '{}',
  account_id  text NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, id),
  UNIQUE (scope, source, source_id)
);
CREATE UNIQUE INDEX optout_events_event_id_idx ON optout_events (event_id);
CREATE INDEX optout_events_identifier_idx ON optout_events (scope, channel, identifier, occurred_at);
CREATE INDEX optout_events_recent_idx ON optout_events (scope, recorded_at DESC);

-- change_seq orders the list by last change, for stable-cursor incremental sync.
CREATE SEQUENCE optout_change_seq;

-- Current state, derived from the events: the latest event (by occurred_at) wins.
CREATE TABLE optout_state (
  scope         text NOT NULL,
  channel       text NOT NULL REFERENCES channels (name),
  identifier    text NOT NULL,
  status        text NOT NULL CHECK (status IN ('opted_out', 'opted_in')),
  since         timestamptz NOT NULL,
  last_event_id uuid NOT NULL,
  source        text NOT NULL,
  reason        text,
  change_seq    bigint NOT NULL DEFAULT nextval('optout_change_seq'),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, channel, identifier)
);
CREATE INDEX optout_state_changes_idx ON optout_state (scope, channel, change_seq);
