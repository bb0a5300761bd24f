/// The topic config keys Skiff accepts and the values each takes: the one list the broker
/// validates with (BrokerCore's `LogConfig`) and the terminal UI checks as the user types. A key or
/// value added here is accepted by the broker and offered by the UI at once.
///
/// Standard library only, like `KafkaHash`: the broker core and the UI (which must not import the
/// core) both depend on it.
public enum TopicConfigKeys {
    /// Every key, in display order (alphabetical, as Kafka lists them).
    public static let all: [TopicConfigKey] = [
        TopicConfigKey(
            "cleanup.policy", .choice(["delete"]),
            summary:
                "what happens to old segments: delete removes them by time and size (compaction is not supported yet)"
        ),
        TopicConfigKey(
            "flush.messages", .integer(min: 1, max: .max, minusOneMeans: nil),
            summary: "fsync after this many appended records; 1 = every append"),
        TopicConfigKey(
            "flush.ms", .integer(min: 0, max: .max, minusOneMeans: nil),
            summary: "fsync when the oldest unflushed append is older than this many milliseconds"),
        TopicConfigKey(
            "index.interval.bytes", .integer(min: 0, max: Int64(Int32.max), minusOneMeans: nil),
            summary: "log bytes between offset and time index entries"),
        TopicConfigKey(
            "max.message.bytes", .integer(min: 0, max: Int64(Int32.max), minusOneMeans: nil),
            summary: "the largest record batch accepted, in bytes"),
        TopicConfigKey(
            "message.timestamp.type", .choice(["CreateTime", "LogAppendTime"]),
            summary:
                "what a record's timestamp is: CreateTime keeps the producer's, LogAppendTime stamps the broker's clock at append"
        ),
        TopicConfigKey(
            "retention.bytes", .integer(min: 0, max: .max, minusOneMeans: "no size limit"),
            summary: "delete the oldest segments while a partition is larger than this many bytes"),
        TopicConfigKey(
            "retention.ms", .integer(min: 0, max: .max, minusOneMeans: "keep forever"),
            summary: "delete segments whose newest record is older than this many milliseconds"),
        TopicConfigKey(
            "segment.bytes", .integer(min: 14, max: Int64(Int32.max), minusOneMeans: nil),
            summary: "roll to a new segment when the active one would grow past this many bytes"),
        TopicConfigKey(
            "segment.index.bytes", .integer(min: 8, max: Int64(Int32.max), minusOneMeans: nil),
            summary: "the largest offset index of a segment, in bytes; a full index rolls the segment"),
        TopicConfigKey(
            "segment.ms", .integer(min: 1, max: .max, minusOneMeans: nil),
            summary: "roll when the active segment's first record is older than this many milliseconds"),
    ]

    /// The keys' names, in display order.
    public static let names: [String] = all.map(\.name)

    private static let byName: [String: TopicConfigKey] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The rule for `name`, nil when Skiff does not know the key.
    public static func key(_ name: String) -> TopicConfigKey? { byName[name] }

    /// Checks `value` for `key`: the parsed value, or what is wrong (an unknown key included).
    public static func check(key: String, value: String) -> Result<TopicConfigValue, TopicConfigProblem> {
        guard let rule = byName[key] else { return .failure(.unknownKey(key)) }
        return rule.check(value)
    }
}

/// What values a config key takes.
public enum TopicConfigKind: Hashable, Sendable {
    /// A whole number in `min...max`, or -1 when `minusOneMeans` says what -1 means.
    case integer(min: Int64, max: Int64, minusOneMeans: String?)
    /// One of these words.
    case choice([String])
}

/// A parsed config value.
public enum TopicConfigValue: Hashable, Sendable {
    /// A whole number.
    case integer(Int64)
    /// One of a key's choices.
    case choice(String)
}

/// One config key and the values it accepts.
public struct TopicConfigKey: Hashable, Sendable {
    /// The key, in Kafka's spelling (`retention.ms`).
    public let name: String
    /// What values it takes.
    public let kind: TopicConfigKind
    /// What the key does, in a sentence without a final period.
    public let summary: String

    init(_ name: String, _ kind: TopicConfigKind, summary: String) {
        self.name = name
        self.kind = kind
        self.summary = summary
    }

    /// The key's choices; empty for a number.
    public var choices: [String] {
        if case .choice(let words) = kind { return words }
        return []
    }

    /// What the key accepts, in words: `0 or more, or -1 (keep forever)`, `one of: delete`.
    public var accepted: String {
        switch kind {
        case .choice(let words):
            return "one of: " + words.joined(separator: ", ")
        case .integer(let min, let max, let minusOne):
            var text = max == .max ? "\(min) or more" : "\(min) to \(max)"
            if let minusOne { text += ", or -1 (\(minusOne))" }
            return text
        }
    }

    /// Checks `value` (spaces around it are ignored): the parsed value, or what is wrong.
    public func check(_ value: String) -> Result<TopicConfigValue, TopicConfigProblem> {
        let text = value.trimmingSpaces
        switch kind {
        case .choice(let words):
            guard words.contains(text) else { return .failure(.notAChoice(key: name, value: value, choices: words)) }
            return .success(.choice(text))
        case .integer(let min, let max, let minusOne):
            guard let v = Int64(text) else { return .failure(.notAnInteger(key: name, value: value)) }
            if minusOne != nil && v == -1 { return .success(.integer(v)) }
            guard v >= min else {
                return .failure(.tooSmall(key: name, value: v, min: min, allowsMinusOne: minusOne != nil))
            }
            guard v <= max else { return .failure(.tooLarge(key: name, value: v, max: max)) }
            return .success(.integer(v))
        }
    }
}

/// Why a config key or value is refused.
public enum TopicConfigProblem: Error, Hashable, Sendable {
    /// Skiff does not know the key.
    case unknownKey(String)
    /// A number key got something else.
    case notAnInteger(key: String, value: String)
    /// A number below the key's minimum.
    case tooSmall(key: String, value: Int64, min: Int64, allowsMinusOne: Bool)
    /// A number above the key's maximum.
    case tooLarge(key: String, value: Int64, max: Int64)
    /// A word that is not one of the key's choices.
    case notAChoice(key: String, value: String, choices: [String])

    /// The problem in a sentence, with typed text passed through `quote` (the caller's escaping
    /// for where the sentence is shown: the broker's log-safe escape, the UI's SafeText).
    public func message(quote: (String) -> String) -> String {
        switch self {
        case .unknownKey(let key):
            "unknown topic config '\(quote(key))'; known keys: \(TopicConfigKeys.names.joined(separator: ", "))"
        case .notAnInteger(let key, let value):
            "\(key) must be an integer, got '\(quote(value))'"
        case .tooSmall(let key, let value, let min, let allowsMinusOne):
            "\(key) must be at least \(min)\(allowsMinusOne ? " (or -1)" : ""), got \(value)"
        case .tooLarge(let key, let value, let max):
            "\(key) must be at most \(max), got \(value)"
        case .notAChoice(let key, let value, let choices):
            "\(key) '\(quote(value))' is not supported; Skiff supports: \(choices.joined(separator: ", "))"
        }
    }
}

extension String {
    /// Without leading and trailing whitespace.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
