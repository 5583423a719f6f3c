/**
 * Topics: per-list preferences of an account (its `topics` setting). Pure rules, shared by the
 * email-unsubscribe worker (which list an unsubscribe is about) and the edge (the names on the
 * preference page).
 */

/** An account's topic as its settings hold it. */
export interface Topic {
  id: string;
  /** By language (`en`, `nl`...) and `default`. */
  name: Readonly<Record<string, string>>;
}

/** The account's topic with this id, if it has one (a List-Id that is not a topic: undefined). */
export function findTopic(topics: readonly Topic[] | undefined, id: string | undefined): Topic | undefined {
  if (id === undefined) return undefined;
  return topics?.find((t) => t.id === id);
}

/**
 * Which topic an email unsubscribe opts out of, or undefined for the whole channel. "All" wins;
 * else the chosen topic (the preference page), else the List-Id, each only when it is one of the
 * account's topics. A choice or List-Id that is not (a topic since removed, a mailing's own
 * List-Id) unsubscribes from the whole channel: a person who asked to stop is never left
 * subscribed because a name did not match.
 */
export function unsubscribeTopic(
  topics: readonly Topic[] | undefined,
  request: { all?: boolean; topic?: string; listId?: string },
): Topic | undefined {
  if (request.all === true) return undefined;
  if (request.topic !== undefined) return findTopic(topics, request.topic);
  return findTopic(topics, request.listId);
}

/** A topic's name in a language, else its `default`, else English, else its first, else its id. */
export function topicName(topic: Topic, lang: string): string {
  return topic.name[lang] ?? topic.name.default ?? topic.name.en ?? Object.values(topic.name)[0] ?? topic.id;
}
