-- The address book: contacts and groups per account. Sized for groups of millions of members:
-- every key starts with account_id, so the tables can be hash-partitioned by account later.
-- Ids are COLLATE "C": byte order is what the list cursor pages by, and it compares without
-- the locale's (slower) rules whatever the database's collation.

-- A group may be marked bypass_opt_out: its members are sent to even when opted out (the
-- check answers `bypass_group`, the filtered list comes back whole).
CREATE TABLE groups (
  account_id     text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  id             text COLLATE "C" NOT NULL,
  name           text NOT NULL,
  bypass_opt_out boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id)
);

-- phone/email hold the normalized identifiers (E.164, normalized address) that opt-out lists
-- use; *_raw keeps what the client sent. No foreign key to accounts: the writers check the
-- account once per request, and a per-row lookup would slow a million-row import (accounts
-- are never deleted through the API).
CREATE TABLE contacts (
  account_id text NOT NULL,
  id         text COLLATE "C" NOT NULL,
  phone_raw  text,
  phone      text,
  email_raw  text,
  email      text,
  fields     jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CHECK (phone IS NOT NULL OR email IS NOT NULL)
);
-- "The contacts (and so the groups) of a phone number / an address": the check's bypass lookup.
CREATE INDEX contacts_phone_idx ON contacts (account_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX contacts_email_idx ON contacts (account_id, email) WHERE email IS NOT NULL;

-- Membership. The primary key is "members of a group ordered by contact id": the filtered
-- list pages through it by keyset (group_id, contact_id). The second index serves "groups of
-- a contact". Deleting a group deletes its memberships (cascade). There is no foreign key to
-- contacts: its check locks the contact row once per membership (FOR KEY SHARE), which
-- doubled the time of a million-row import here (measured: 25 s against 11.5 s for the
-- memberships alone); deleteContact removes the memberships in the same transaction, and every
-- reader joins contacts, so a membership can never show a contact that is gone.
CREATE TABLE group_members (
  account_id text NOT NULL,
  group_id   text COLLATE "C" NOT NULL,
  contact_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (account_id, group_id, contact_id),
  FOREIGN KEY (account_id, group_id) REFERENCES groups (account_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_contact_idx ON group_members (account_id, contact_id);
