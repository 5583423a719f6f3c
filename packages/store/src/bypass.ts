/**
 * The bypass rule (DESIGN §3), in one place for the check and the filtered group lists: an
 * identifier opted out on the account's list is still sent to when a contact of the account
 * with that identifier is in a bypass group (`bypassOptOut: true`) of the account — any of
 * them, whether or not the request names it (`groupIds`). The check answers it `bypass_group`
 * (`findOptedOutForCheck`); the filtered group list keeps it (`listGroupContacts`,
 * `streamGroupContactLines`). Contacts of another account never bypass, even when the two
 * accounts share their organization's list.
 */

/**
 * The rule as a SQL condition: true when `identifier` (an SQL expression) is the `column`
 * ("phone", "email": CONTACT_IDENTIFIER_COLUMN) of a contact of account `account` (an SQL
 * expression, e.g. "$1") that is in a bypass group. Through the contacts' identifier index,
 * then that contact's memberships.
 */
export function bypassMemberSql(account: string, column: "phone" | "email", identifier: string): string {
  return `EXISTS (SELECT 1 FROM contacts bc
      JOIN group_members bm ON bm.account_id = bc.account_id AND bm.contact_id = bc.id
      JOIN groups bg ON bg.account_id = bm.account_id AND bg.id = bm.group_id
      WHERE bc.account_id = ${account} AND bc.${column} = ${identifier} AND bg.bypass_opt_out)`;
}
