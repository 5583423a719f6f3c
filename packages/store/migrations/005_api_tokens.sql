-- Typed API tokens (read/write, per channel) and a commit-ordered change_seq for list sync.

-- A token is shown once as `oo_<id>_<secret>`; only SHA-256 of the whole token is kept. `id` is
-- public (it is in the token and in the token list), so a lookup is one primary-key read.
-- Revoking sets revoked_at: the row stays for the audit trail, the token stops working at once.
CREATE TABLE api_tokens (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id),
  name         text,
  -- channel names (rows of `channels`); the API validates them against the channel registry
  types        text[] NOT NULL CHECK (cardinality(types) > 0),
  permissions  text[] NOT NULL CHECK (cardinality(permissions) > 0 AND permissions <@ ARRAY['read', 'write']),
  secret_hash  bytea NOT NULL CHECK (length(secret_hash) = 32),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id, created_at);

-- Incremental sync pages through a list in change_seq order with a cursor. A sequence hands out
-- values in call order, but transactions commit in any order: a reader could see seq 11
-- committed, move its cursor past it, and never see seq 10 that commits a moment later. So a
-- writer takes its change_seq while holding a SHARED advisory lock on the list's bucket (held
-- until its commit), and a sync read takes the same lock EXCLUSIVELY around its query: when the
-- query runs, every change_seq of that list handed out so far is committed or rolled back, and
-- every later one is larger than anything the query saw. Writers never wait for each other
-- (shared locks); they wait only while a sync query of the same bucket runs (milliseconds).
-- Lists hash to 256 buckets so a transaction touching many lists holds a bounded number of locks.
CREATE FUNCTION optout_list_lock_bucket(list_scope text, list_channel text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT hashtext(list_scope || '/' || list_channel) & 255 $$;

CREATE FUNCTION optout_state_take_change_seq() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- An UPDATE that does not move change_seq (a settings fix, a backfill) is not a change.
  IF TG_OP = 'INSERT' OR NEW.change_seq IS DISTINCT FROM OLD.change_seq THEN
    PERFORM pg_advisory_xact_lock_shared(4242005, optout_list_lock_bucket(NEW.scope, NEW.channel));
    NEW.change_seq := nextval('optout_change_seq');
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER optout_state_change_seq
  BEFORE INSERT OR UPDATE ON optout_state
  FOR EACH ROW EXECUTE FUNCTION optout_state_take_change_seq();
