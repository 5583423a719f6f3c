-- Prefix search for the browsing routes (GET /v1/accounts?prefix=, /v1/organizations?prefix=,
-- /v1/accounts/{id}/contacts?prefix=, packages/store/src/browse.ts). They compare in the "C"
-- collation, so a prefix is one range of an index whatever the database's collation: under a
-- linguistic one (en_US.UTF-8, even C.UTF-8 with the libc provider) LIKE 'ab%' cannot use a
-- plain index. groups.id and contacts.id are COLLATE "C" already: their primary keys serve.
-- On a large existing installation (millions of contacts), create them beforehand without
-- blocking writes, then migrate (IF NOT EXISTS then finds them):
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS contacts_phone_prefix_idx ON contacts (account_id, phone COLLATE "C") WHERE phone IS NOT NULL;
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS contacts_email_prefix_idx ON contacts (account_id, email COLLATE "C") WHERE email IS NOT NULL;
CREATE INDEX IF NOT EXISTS accounts_id_c_idx ON accounts (id COLLATE "C");
CREATE INDEX IF NOT EXISTS organizations_id_c_idx ON organizations (id COLLATE "C");
CREATE INDEX IF NOT EXISTS contacts_phone_prefix_idx ON contacts (account_id, phone COLLATE "C") WHERE phone IS NOT NULL;
CREATE INDEX IF NOT EXISTS contacts_email_prefix_idx ON contacts (account_id, email COLLATE "C") WHERE email IS NOT NULL;
