/**
 * A phone number as the landing page shows it: enough for the recipient to recognise their own
 * number ("+31 6 ****5678"), not enough for someone else holding the link to learn it. Country
 * code, first national digit and last four digits stay; the rest becomes "*", in the
 * international format's grouping.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

const VISIBLE_TAIL_DIGITS = 4;

export function maskPhoneNumber(e164: string): string {
  const formatted = parsePhoneNumberFromString(e164)?.formatInternational();
  const space = formatted?.indexOf(" ") ?? -1;
  if (!formatted || space < 0) return maskDigits(e164, e164.startsWith("+") ? 3 : 0);
  return `${formatted.slice(0, space)} ${maskDigits(formatted.slice(space + 1), 1)}`;
}

/** Keep the first `head` digits and the last four; other characters (spaces, "+") stay as they are. */
function maskDigits(text: string, head: number): string {
  const digits = text.replace(/\D/g, "").length;
  let seen = 0;
  return text.replace(/\d/g, (d) => {
    const index = seen++;
    return index < head || index >= digits - VISIBLE_TAIL_DIGITS ? d : "*";
  });
}
