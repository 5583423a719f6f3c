import type { TagReply } from "@optout/schemas";

/**
 * The compact form of a tag reply (`"compact": true`): 10,000 link tags take ~1.3 MB in full,
 * over the default 1 MiB max_payload. Each tag is in the request's order, so `recipient` is
 * left out; `link` is `linkBase` + `token` when every link shares one base. About half the size.
 */
export function compactTagReply(reply: Record<string, unknown>): Record<string, unknown> {
  const { tags } = reply as unknown as TagReply;
  const bases = new Set<string>();
  for (const tag of tags) {
    if ("link" in tag && tag.link !== undefined && tag.token !== undefined && tag.link.endsWith(tag.token)) {
      bases.add(tag.link.slice(0, -tag.token.length));
    } else if ("link" in tag && tag.link !== undefined) {
      bases.add("\u0000mixed");
    }
  }
  const linkBase = bases.size === 1 ? [...bases][0]! : undefined;
  return {
    compact: true,
    ...(linkBase === undefined ? {} : { linkBase }),
    tags: tags.map((tag) => {
      const { recipient: _recipient, ...rest } = tag;
      if (linkBase !== undefined && "link" in rest) {
        const { link: _link, ...withoutLink } = rest;
        return withoutLink;
      }
      return rest;
    }),
  };
}
