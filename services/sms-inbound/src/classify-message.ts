import { accountClassifierOptions, createClassifier, type SmsClassification } from "@optout/domain";
import type { Account } from "@optout/store";

type Classify = ReturnType<typeof createClassifier>;

/**
 * One compiled classifier per account settings version: accounts may add keywords and switch
 * free-text detection off, and compiling per message would waste the hot path.
 */
export class AccountClassifiers {
  readonly #byAccount = new Map<string, { version: string; classify: Classify }>();

  classify(account: Account, text: string, to: string): SmsClassification {
    let entry = this.#byAccount.get(account.id);
    if (!entry || entry.version !== account.updatedAt) {
      entry = {
        version: account.updatedAt,
        classify: createClassifier(accountClassifierOptions(account.settings)),
      };
      this.#byAccount.set(account.id, entry);
    }
    return entry.classify(text, { to, brandNames: account.settings.brandNames ?? [] });
  }
}
