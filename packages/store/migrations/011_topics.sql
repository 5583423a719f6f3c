-- Topics: per-list preferences (SendGrid's groups, listmonk's lists; RFC 8058's List-Unsubscribe
-- is per list). An account names its topics in its settings (`topics`); an email unsubscribe for
-- a topic's List-Id opts the address out of that topic only.
--
-- An event about one topic carries it; NULL is the channel-wide event, as every event before
-- this migration (a nullable column without a default: no table rewrite).
ALTER TABLE optout_events ADD COLUMN topic text;

-- The current state per (list, channel, topic, identifier), derived from the topic events as
-- optout_state is from the channel-wide ones. Kept apart from optout_state so that nothing
-- that reads the channel-wide list (the check's filter and confirm, list sync, exports, the
-- filtered group lists without a topic) changes or slows down: a channel-wide opt-out wins over
-- every topic by being in optout_state, a topic opt-in never touches it. The key leads with
-- scope like every other table (partitionable by scope); the check asks for one topic and many
-- identifiers, so the primary key serves its `identifier = ANY(...)` probe.
CREATE TABLE optout_topic_state (
  scope         text NOT NULL,
  channel       text NOT NULL REFERENCES channels (name),
  topic         text NOT NULL,
  identifier    text NOT NULL,
  status        text NOT NULL CHECK (status IN ('opted_out', 'opted_in')),
  since         timestamptz NOT NULL,
  last_event_id uuid NOT NULL,
  source        text NOT NULL,
  reason        text,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, channel, topic, identifier)
);
