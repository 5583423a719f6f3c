-- Opt-out links: a short unguessable token -> (account, channel, identifier, campaign).
-- campaign_id is '' when the caller named no campaign, so that the unique target below also
-- deduplicates campaign-less links (a NULL would make every row distinct).
CREATE TABLE links (
  token       text PRIMARY KEY CHECK (token ~ '^[0-9A-Za-z]{6,10}$'),
  account_id  text NOT NULL REFERENCES accounts (id),
  channel     text NOT NULL REFERENCES channels (name),
  identifier  text NOT NULL,
  campaign_id text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- One link per target: a campaign asking again for the same recipient gets the same link.
CREATE UNIQUE INDEX links_target_idx ON links (account_id, channel, campaign_id, identifier);
