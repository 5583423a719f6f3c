import { createHash } from "node:crypto";
import { fill, html, SafeHtml } from "@optout/core";
import { MESSAGES, PAGE_LANGUAGES, REASON_CODES, type Messages } from "./i18n.js";

/**
 * The edge's pages: small, server-rendered, no JavaScript, no external resources. The one
 * inline stylesheet is allowed by its hash in the Content-Security-Policy, so the policy can
 * stay `default-src 'none'`.
 */
const CSS = [
  ":root{color-scheme:light dark;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5}",
  "body{margin:0;padding:1rem;background:#f4f4f4;color:#1a1a1a}",
  "main{max-width:32rem;margin:1.5rem auto;background:#fff;padding:1.5rem;border-radius:8px}",
  "h1{font-size:1.5rem;line-height:1.25;margin-top:0}",
  ".nowrap{white-space:nowrap}",
  "label{display:block;font-weight:600;margin:1.25rem 0 .25rem}",
  "select,textarea{display:block;width:100%;box-sizing:border-box;font:inherit;padding:.6rem;border:1px solid #767676;border-radius:4px;background:#fff;color:inherit}",
  "button{display:block;width:100%;min-height:3.25rem;margin-top:1.5rem;font:inherit;font-size:1.25rem;font-weight:700;color:#fff;background:#a50e1e;border:0;border-radius:6px;cursor:pointer}",
  "button:hover{background:#8a0b19}",
  "button.topic{min-height:2.75rem;margin-top:.75rem;font-size:1.05rem;color:#1a1a1a;background:#e8e8e8;border:1px solid #767676}",
  "button.topic:hover{background:#d6d6d6}",
  ".current button.topic{border:3px solid #1a5fd0}",
  "a:focus-visible,button:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #1a5fd0;outline-offset:2px}",
  ".notice{color:#4a4a4a;font-size:.95rem}",
  "nav{max-width:32rem;margin:0 auto;font-size:.95rem}",
  "nav ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}",
  "nav a{color:#0b57d0}",
  "@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}main{background:#1f1f1f}select,textarea{background:#2a2a2a}.notice{color:#c4c4c4}nav a{color:#8ab4f8}button.topic{color:#eee;background:#2a2a2a}button.topic:hover{background:#3a3a3a}}",
].join("");

// A constant of this file, inserted verbatim (not escaped) so that its hash matches.
const STYLESHEET = new SafeHtml(CSS);

export const STYLE_HASH = `'sha256-${createHash("sha256").update(CSS).digest("base64")}'`;

// The stylesheet goes in with no whitespace around it: the CSP hash covers its exact content.
function layout(lang: string, title: string, content: SafeHtml, nav?: SafeHtml): string {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${title}</title>
        <style>${STYLESHEET}</style>
      </head>
      <body>
        <main>${content}</main>
        ${nav}
      </body>
    </html> `.value;
}

function strong(text: string): SafeHtml {
  return html`<strong class="nowrap">${text}</strong>`;
}

/** Links to the same page in every language, each named in its own language. */
function languageNav(m: Messages, current: string): SafeHtml {
  const items = PAGE_LANGUAGES.map((lang) =>
    lang === current
      ? html`<li><span lang="${lang}" aria-current="true">${MESSAGES[lang]!.languageName}</span></li>`
      : html`<li>
          <a href="?lang=${lang}" hreflang="${lang}" lang="${lang}">${MESSAGES[lang]!.languageName}</a>
        </li>`,
  );
  return html`<nav aria-label="${m.languageNav}">
    <ul>
      ${items}
    </ul>
  </nav>`;
}

export function messagesFor(lang: string): Messages {
  return MESSAGES[lang] ?? MESSAGES.en!;
}

/** The landing page of an SMS link: it names the sender and the masked number and opts out nobody. */
export function linkPage(p: {
  lang: string;
  sender: string;
  maskedNumber: string;
  clickNonce: string;
}): string {
  const m = messagesFor(p.lang);
  const options = REASON_CODES.map((code) => html`<option value="${code}">${m.reasons[code]}</option>`);
  const content = html`<h1>${fill(m.heading, { sender: p.sender })}</h1>
    <p>${fill(m.intro, { sender: strong(p.sender), number: strong(p.maskedNumber) })}</p>
    <form method="post">
      <input type="hidden" name="click" value="${p.clickNonce}" />
      <label for="reason">${m.reasonLabel}</label>
      <select id="reason" name="reason">
        <option value="">${m.reasonNone}</option>
        ${options}
      </select>
      <label for="comment">${m.commentLabel}</label>
      <textarea id="comment" name="comment" rows="3" maxlength="400"></textarea>
      <button type="submit">${m.button}</button>
    </form>
    <p class="notice">${m.notice}</p>`;
  return layout(p.lang, `${m.pageTitle} – ${p.sender}`, content, languageNav(m, p.lang));
}

/** After the POST: what happened, in words. `sender`/`maskedNumber` are absent when the link could not be read (database down). */
export function linkDonePage(p: { lang: string; sender?: string; maskedNumber?: string }): string {
  const m = messagesFor(p.lang);
  const text =
    p.sender !== undefined && p.maskedNumber !== undefined
      ? fill(m.doneText, { sender: strong(p.sender), number: strong(p.maskedNumber) })
      : fill(m.doneGeneric, {});
  const content = html`<h1>${m.doneTitle}</h1>
    <p role="status">${text}</p>
    <p class="notice">${m.doneNote}</p>`;
  return layout(p.lang, m.doneTitle, content);
}

export function emailConfirmPage(p: { lang: string; sender: string; maskedEmail: string }): string {
  const m = messagesFor(p.lang);
  const content = html`<h1>${fill(m.emailHeading, { sender: p.sender })}</h1>
    <p>${fill(m.emailIntro, { sender: strong(p.sender), email: strong(p.maskedEmail) })}</p>
    <form method="post">
      <input type="hidden" name="confirm" value="yes" />
      <button type="submit">${m.button}</button>
    </form>
    <p class="notice">${m.notice}</p>`;
  return layout(p.lang, `${m.pageTitle} – ${p.sender}`, content, languageNav(m, p.lang));
}

/** A topic as a page shows it: its id (the form value) and its name in the page's language. */
export interface PageTopic {
  id: string;
  name: string;
}

/**
 * The preference page of an account with topics: one form (a button) per topic, the topic the
 * email was sent as (its List-Id) first and marked, and "unsubscribe from all". One choice per
 * POST, no JavaScript; nothing changes until a button is pressed.
 */
export function emailPreferencePage(p: {
  lang: string;
  sender: string;
  maskedEmail: string;
  topics: readonly PageTopic[];
  currentTopicId?: string;
}): string {
  const m = messagesFor(p.lang);
  const current = p.topics.find((t) => t.id === p.currentTopicId);
  const ordered = current ? [current, ...p.topics.filter((t) => t !== current)] : p.topics;
  const forms = ordered.map(
    (t) => html`<form method="post" class="${t === current ? "current" : "other"}">
      <input type="hidden" name="confirm" value="yes" />
      <input type="hidden" name="topic" value="${t.id}" />
      <button type="submit" class="topic">${fill(m.topicButton, { topic: t.name })}</button>
    </form>`,
  );
  const content = html`<h1>${fill(m.emailHeading, { sender: p.sender })}</h1>
    <p>${fill(m.emailTopicsIntro, { sender: strong(p.sender), email: strong(p.maskedEmail) })}</p>
    ${current ? html`<p>${fill(m.emailTopicCurrent, { topic: strong(current.name) })}</p>` : html``}
    ${forms}
    <form method="post">
      <input type="hidden" name="confirm" value="yes" />
      <input type="hidden" name="all" value="yes" />
      <button type="submit">${m.allButton}</button>
    </form>
    <p class="notice">${m.notice}</p>`;
  return layout(p.lang, `${m.pageTitle} – ${p.sender}`, content, languageNav(m, p.lang));
}

/** After a topic's button: that topic only, and the way back to the others. */
export function emailTopicDonePage(p: {
  lang: string;
  sender: string;
  maskedEmail: string;
  topic: string;
}): string {
  const m = messagesFor(p.lang);
  const content = html`<h1>${m.doneTitle}</h1>
    <p role="status">
      ${fill(m.emailTopicDoneText, { sender: strong(p.sender), email: strong(p.maskedEmail), topic: strong(p.topic) })}
    </p>
    <p><a href="?lang=${p.lang}">${m.otherTopicsLink}</a></p>`;
  return layout(p.lang, m.doneTitle, content);
}

export function emailDonePage(p: { lang: string; sender: string; maskedEmail: string }): string {
  const m = messagesFor(p.lang);
  const content = html`<h1>${m.doneTitle}</h1>
    <p role="status">
      ${fill(m.emailDoneText, { sender: strong(p.sender), email: strong(p.maskedEmail) })}
    </p>`;
  return layout(p.lang, m.doneTitle, content);
}

export type ProblemKind = "notFound" | "badRequest" | "error" | "tooMany";

export function problemPage(lang: string, kind: ProblemKind): string {
  const m = messagesFor(lang);
  const texts: Record<ProblemKind, [title: string, text: string]> = {
    notFound: [m.notFoundTitle, m.notFoundText],
    badRequest: [m.badRequestTitle, m.badRequestText],
    error: [m.errorTitle, m.errorText],
    tooMany: [m.tooManyTitle, m.tooManyText],
  };
  const [title, text] = texts[kind];
  return layout(
    lang,
    title,
    html`<h1>${title}</h1>
      <p>${text}</p>`,
  );
}
