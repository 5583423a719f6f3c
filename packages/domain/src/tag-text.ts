/**
 * The words of a link opt-out footer ("tag"), per language. Every built-in template stays in the
 * GSM 03.38 alphabet (é is in it): a footer with a character outside it would switch the whole
 * SMS to UCS-2 and halve the characters per segment.
 */
import { keywordFlowFor, renderKeywordFlow, type KeywordFlowOverrides } from "./keyword-flows.js";
import { languageForCountry } from "./languages.js";

export const LINK_PLACEHOLDER = "{link}";

export const DEFAULT_TAG_TEMPLATES: Readonly<Record<string, string>> = Object.freeze({
  en: "Opt out: {link}",
  nl: "Afmelden: {link}",
  de: "Abmelden: {link}",
  fr: "Désinscription : {link}",
  es: "Darse de baja: {link}",
  it: "Disiscriviti: {link}",
});

export const DEFAULT_TAG_LANGUAGE = "en";

/** Account templates by language (and "default"); one without `{link}` is ignored, it would drop the link. */
export type TagTemplateOverrides = Readonly<Record<string, string | undefined>>;

export function linkTagText(
  language: string | undefined,
  link: string,
  overrides?: TagTemplateOverrides,
): string {
  const lang = language ?? DEFAULT_TAG_LANGUAGE;
  const usable = (t: string | undefined): t is string =>
    typeof t === "string" && t.includes(LINK_PLACEHOLDER);
  const candidates = [
    overrides?.[lang],
    DEFAULT_TAG_TEMPLATES[lang],
    overrides?.default,
    DEFAULT_TAG_TEMPLATES[DEFAULT_TAG_LANGUAGE],
  ];
  const template = candidates.find(usable) ?? DEFAULT_TAG_TEMPLATES.en!;
  return template.replaceAll(LINK_PLACEHOLDER, link);
}

/** What the footer of one recipient is: a keyword instruction, or a link still to be minted. */
export type TagPlan = { kind: "keyword"; text: string } | { kind: "link"; language: string | undefined };

/** Decide the footer for a recipient's country (pure; the link token is minted by the caller). */
export function planTag(country: string | undefined, keywordFlows?: KeywordFlowOverrides): TagPlan {
  const flow = keywordFlowFor(country, keywordFlows);
  if (flow) return { kind: "keyword", text: renderKeywordFlow(flow) };
  return { kind: "link", language: languageForCountry(country) };
}
