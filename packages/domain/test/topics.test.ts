import t from "tap";
import { findTopic, topicName, unsubscribeTopic, type Topic } from "../src/topics.js";

const topics: Topic[] = [
  { id: "news", name: { en: "Newsletter", nl: "Nieuwsbrief" } },
  { id: "offers", name: { default: "Offers" } },
];

t.test("findTopic: only the account's own topics", async (t) => {
  t.equal(findTopic(topics, "news")?.id, "news");
  t.equal(findTopic(topics, "<news.example.com>"), undefined);
  t.equal(findTopic(topics, undefined), undefined);
  t.equal(findTopic(undefined, "news"), undefined);
});

t.test(
  "unsubscribeTopic: all wins, then the choice, then the List-Id; no match is channel-wide",
  async (t) => {
    t.equal(unsubscribeTopic(topics, { listId: "news" })?.id, "news");
    t.equal(unsubscribeTopic(topics, { listId: "news", topic: "offers" })?.id, "offers");
    t.equal(unsubscribeTopic(topics, { listId: "news", all: true }), undefined);
    t.equal(
      unsubscribeTopic(topics, { listId: "news", topic: "gone" }),
      undefined,
      "an unknown choice is channel-wide",
    );
    t.equal(unsubscribeTopic(topics, { listId: "<list.example.com>" }), undefined);
    t.equal(
      unsubscribeTopic(undefined, { listId: "news" }),
      undefined,
      "an account without topics: as before",
    );
  },
);

t.test("topicName: language, default, English, first, id", async (t) => {
  t.equal(topicName(topics[0]!, "nl"), "Nieuwsbrief");
  t.equal(topicName(topics[0]!, "fr"), "Newsletter");
  t.equal(topicName(topics[1]!, "nl"), "Offers");
  t.equal(topicName({ id: "x", name: { de: "Angebote" } }, "fr"), "Angebote");
  t.equal(topicName({ id: "x", name: {} }, "fr"), "x");
});
