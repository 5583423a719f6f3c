import { UnknownAccountError } from "@optout/core";
import type { Account, AccountDirectory } from "@optout/store";

/** The account named in the path, or 404 UNKNOWN_ACCOUNT. */
export async function requireAccountOf(accounts: AccountDirectory, accountId: string): Promise<Account> {
  const account = await accounts.get(accountId);
  if (!account) throw new UnknownAccountError(accountId);
  return account;
}
