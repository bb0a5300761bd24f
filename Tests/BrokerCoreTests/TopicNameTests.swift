import Testing

@testable import BrokerCore

struct TopicNameTests {
    /// Names Kafka accepts are accepted, including the longest allowed one.
    @Test(arguments: [
        "prices", "streams-intro", "trading.strategy_1", "a", "..a", ".hidden", "A-Z_0.9",
        String(repeating: "x", count: 249), "__consumer_offsets",
    ])
    func acceptsKafkaNames(_ name: String) throws {
        try TopicName.validate(name)
        #expect(TopicName.isValid(name))
    }

    /// Names Kafka refuses are refused, among them every path-traversal attempt.
    @Test(arguments: [
        "", ".", "..", "../etc", "../../tmp/x", "a/b", "/abs", "a\\b", "a b", "tab\there", "new\nline",
        "nul\u{0}byte", "ü", "日本", "emoji🚀", "semi;colon", "star*", "~home", "$VAR",
        String(repeating: "x", count: 250),
    ])
    func rejectsInvalidNames(_ name: String) {
        #expect(throws: BrokerError.self) { try TopicName.validate(name) }
        #expect(!TopicName.isValid(name))
    }

    /// The error names the rule that was broken, in words, and escapes control characters.
    @Test func errorMessagesSayWhy() {
        #expect(throws: BrokerError.invalidTopicName(name: "", reason: "a topic name cannot be empty")) {
            try TopicName.validate("")
        }
        do {
            try TopicName.validate("bad/name")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("'/' is not allowed"))
        }
        do {
            try TopicName.validate("x\u{1b}[2J")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("\u{1b}"))
        }
        do {
            try TopicName.validate(String(repeating: "y", count: 300))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("at most 249"))
        }
    }

    /// Internal topics are recognised by Kafka's double-underscore prefix.
    @Test func internalTopics() {
        #expect(TopicName.isInternal("__consumer_offsets"))
        #expect(!TopicName.isInternal("_single"))
    }
}
