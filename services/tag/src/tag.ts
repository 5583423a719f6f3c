import { TooManyRecipientsError, UnknownAccountError } from "@optout/core";
import {
  linkTagText,
  normalizePhones,
  planTag,
  type KeywordFlowOverrides,
  type TagTemplateOverrides,
} from "@optout/domain";
import { MAX_TAG_RECIPIENTS, validatePayload, type TagReply, type TagResult } from "@optout/schemas";
import type { Account, LinkTarget } from "@optout/store";

export interface TagPorts {
  getAccount(id: string): Promise<Account | null>;
  /** The link token of each identifier for this target, created when missing (reused when present). */
  ensureLinks(target: LinkTarget, identifiers: readonly string[]): Promise<Map<string, string>>;
  /** LINK_BASE_URL; an account's settings.linkBaseUrl wins. */
  linkBaseUrl: string;
}

/**
 * Answer one `optout.tag` request: for each recipient, in request order, the footer to append
 * to the campaign's SMS. Countries with a keyword flow get the keyword instruction; every
 * other recipient gets a link to the edge in the language of its country. A recipient that is
 * not a phone number gets `error: "invalid_recipient"`, never a footer and never a gap.
 */
export async function tagRecipients(ports: TagPorts, body: unknown): Promise<TagReply> {
  const recipients = (body as { recipients?: unknown } | null)?.recipients;
  if (Array.isArray(recipients) && recipients.length > MAX_TAG_RECIPIENTS) {
    throw new TooManyRecipientsError(recipients.length, MAX_TAG_RECIPIENTS);
  }
  const req = validatePayload("tagRequest", body);
  const account = await ports.getAccount(req.accountId);
  if (!account) throw new UnknownAccountError(req.accountId);

  const settings = account.settings;
  const keywordFlows = asRecord(settings.keywordFlows) as KeywordFlowOverrides | undefined;
  const templates = asRecord(settings.tagTemplates) as TagTemplateOverrides | undefined;
  const base = withTrailingSlash(
    typeof settings.linkBaseUrl === "string" && settings.linkBaseUrl
      ? settings.linkBaseUrl
      : ports.linkBaseUrl,
  );

  const normalized = normalizePhones(req.recipients, req.country ?? account.defaultCountry ?? undefined);
  const tags: TagResult[] = new Array(req.recipients.length);
  const needLink: { index: number; identifier: string; language: string | undefined }[] = [];
  for (const [index, recipient] of req.recipients.entries()) {
    const n = normalized[index]!;
    if (!n.ok) {
      tags[index] = { recipient, error: "invalid_recipient", detail: n.reason };
      continue;
    }
    const plan = planTag(n.country, keywordFlows);
    if (plan.kind === "keyword") tags[index] = { recipient, text: plan.text };
    else needLink.push({ index, identifier: n.identifier, language: plan.language });
  }

  if (needLink.length > 0) {
    const target: LinkTarget = {
      accountId: account.id,
      channel: "sms",
      ...(req.campaignId === undefined ? {} : { campaignId: req.campaignId }),
    };
    const tokens = await ports.ensureLinks(target, [...new Set(needLink.map((r) => r.identifier))]);
    for (const { index, identifier, language } of needLink) {
      const token = tokens.get(identifier);
      if (token === undefined) throw new Error("a link was not created for a recipient");
      const link = base + token;
      tags[index] = {
        recipient: req.recipients[index]!,
        text: linkTagText(language, link, templates),
        link,
        token,
      };
    }
  }
  return { tags };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Links are `<base><token>`: a base without a final "/" would glue the token onto its last path segment. */
function withTrailingSlash(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}
