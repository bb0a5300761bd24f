import Testing
import TopicConfigRules

@testable import BrokerCore

/// LogConfig validates with TopicConfigKeys, the list the terminal UI checks with: what one
/// accepts the other does, in the same words.
struct LogConfigTests {
    /// Every key of the rules is a LogConfig entry and the other way round.
    @Test func keysAreTheRules() {
        #expect(LogConfig.supportedKeys == TopicConfigKeys.names)
        #expect(Set(LogConfig().entries.keys) == Set(TopicConfigKeys.names))
    }

    /// Every cleanup.policy choice is implemented; anything else is refused with the choices listed.
    @Test func cleanupPolicies() throws {
        let choices = try #require(TopicConfigKeys.key("cleanup.policy")).choices
        #expect(Set(choices) == Set(LogConfig.CleanupPolicy.allCases.map(\.rawValue)))
        for choice in choices {
            #expect(try LogConfig(overrides: ["cleanup.policy": choice]).entries["cleanup.policy"] == choice)
        }
        #expect(throws: BrokerError.invalidConfig("cleanup.policy 'compact' is not supported; Skiff supports: delete"))
        {
            try LogConfig(overrides: ["cleanup.policy": "compact"])
        }
    }

    /// The ranges of the rules are LogConfig's, with its messages (and its escaping of typed text).
    @Test func ranges() throws {
        #expect(throws: BrokerError.invalidConfig("segment.bytes must be at least 14, got 13")) {
            try LogConfig(overrides: ["segment.bytes": "13"])
        }
        #expect(throws: BrokerError.invalidConfig("retention.ms must be at least 0 (or -1), got -2")) {
            try LogConfig(overrides: ["retention.ms": "-2"])
        }
        #expect(throws: BrokerError.invalidConfig("max.message.bytes must be at most 2147483647, got 2147483648")) {
            try LogConfig(overrides: ["max.message.bytes": "2147483648"])
        }
        #expect(throws: BrokerError.invalidConfig("flush.ms must be an integer, got 'x\\u{1B}'")) {
            try LogConfig(overrides: ["flush.ms": "x\u{1B}"])
        }
        #expect(try LogConfig(overrides: ["retention.ms": " -1 ", "segment.bytes": "14"]).segmentBytes == 14)
        let unknown = #expect(throws: BrokerError.self) { try LogConfig(overrides: ["colour": "blue"]) }
        #expect(unknown?.description.hasPrefix("unknown topic config 'colour'; known keys: cleanup.policy, ") == true)
    }
}
