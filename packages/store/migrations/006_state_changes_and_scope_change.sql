-- Whether an event changed the current state when it was recorded (a first opt-out, an opt-in
-- after an opt-out). Only such events are announced (change feed, webhooks); a repeated STOP is
-- kept as evidence only. Stored so that a redelivered event announces exactly what its first
-- attempt did. Rows recorded before this migration were all announced: true for them (a
-- constant default adds the column without rewriting the table), false for later inserts that
-- do not say (they did not go through the state).
ALTER TABLE optout_events ADD COLUMN state_changed boolean NOT NULL DEFAULT true;
ALTER TABLE optout_events ALTER COLUMN state_changed SET DEFAULT false;

-- A new source: an opt-out carried from an account's previous list when its list scope changed
-- (the account moved to its own list, to its organization's, or to another organization). The
-- list of sources is EVENT_SOURCES in @optout/schemas; a test keeps this constraint equal to it.
ALTER TABLE optout_events DROP CONSTRAINT optout_events_source_check;
ALTER TABLE optout_events ADD CONSTRAINT optout_events_source_check
  CHECK (source IN ('sms_keyword', 'link_click', 'email_one_click', 'email_link', 'email_mailto', 'api', 'import', 'scope_change'))
  NOT VALID;
ALTER TABLE optout_events VALIDATE CONSTRAINT optout_events_source_check;

-- Accounts' list scopes are read by recorders under pg_advisory_xact_lock_shared(4242006,
-- hashtext(account id)) and changed under the exclusive lock (packages/store/src/events.ts,
-- account-update.ts): no table change, the number is reserved here.
