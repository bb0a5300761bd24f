import AdminProtocol
import SkiffText

/// The create-topic form: name, partitions, retention.ms, cleanup.policy.
public struct CreateTopicForm: Hashable, Sendable {
    /// The form's fields, in Tab order.
    public enum Field: Int, CaseIterable, Hashable, Sendable {
        case name, partitions, retentionMs, cleanupPolicy
    }

    /// The choices for cleanup.policy (Kafka's spellings).
    public static let cleanupPolicies = ["delete", "compact", "compact,delete"]

    /// The topic name.
    public var name = TextField()
    /// The partition count.
    public var partitions = TextField("1")
    /// retention.ms; empty = the broker default.
    public var retentionMs = TextField()
    /// The index of the chosen cleanup.policy.
    public var cleanupPolicy = 0
    /// The focused field.
    public var focus = Field.name
    /// Whether the create request is in flight.
    public var submitting = false
    /// The broker's error for the last submit, in words.
    public var error: String?

    /// A problem with the name, live: Kafka's rules, then "already exists".
    public func nameProblem(existing: Set<String>) -> String? {
        if let p = TopicNameRules.problem(with: name.text) { return p }
        return existing.contains(name.text) ? "a topic named '\(name.text)' already exists" : nil
    }

    /// A problem with the partition count, live.
    public var partitionsProblem: String? {
        guard let n = Int32(partitions.text.trimmingSpaces), (1...10_000).contains(n) else {
            return "partitions must be a number from 1 to 10,000"
        }
        return nil
    }

    /// A problem with retention.ms, live.
    public var retentionProblem: String? {
        let t = retentionMs.text.trimmingSpaces
        if t.isEmpty { return nil }
        guard let v = Int64(t), v >= -1 else {
            return "retention.ms must be -1 (keep forever) or 0 or more milliseconds"
        }
        return nil
    }

    /// The topic config the form sets.
    public var config: [String: String] {
        var c = ["cleanup.policy": Self.cleanupPolicies[cleanupPolicy]]
        let r = retentionMs.text.trimmingSpaces
        if !r.isEmpty { c["retention.ms"] = r }
        return c
    }
}

/// The publish form: topic, key, partition, headers, value.
public struct PublishForm: Hashable, Sendable {
    /// The form's fields, in Tab order.
    public enum Field: Int, CaseIterable, Hashable, Sendable {
        case topic, key, partition, headers, value
    }

    /// The topic.
    public var topic = TextField()
    /// The key; empty = no key (null).
    public var key = TextField()
    /// `auto` (or empty) or a partition number.
    public var partition = TextField("auto")
    /// Headers, one `key=value` per line.
    public var headers = TextField(multiline: true)
    /// The value; Enter adds a line.
    public var value = TextField(multiline: true)
    /// The focused field.
    public var focus = Field.value
    /// Whether the produce request is in flight.
    public var sending = false
    /// The broker's error for the last send, in words.
    public var error: String?
    /// Where the last message landed.
    public var result: String?
    /// The record being published again (`P`): while a field still holds the text it was filled
    /// with, the record's own bytes are sent for it (so a binary or null key, value or header
    /// goes out exactly as it came in).
    public var original: Original?

    /// A record the form was filled from, and the text each field got.
    public struct Original: Hashable, Sendable {
        /// The record's key, and the key field's text.
        public var key: [UInt8]?
        public var keyText: String
        /// The record's headers, and the headers field's text.
        public var headers: [HeaderData]
        public var headersText: String
        /// The record's value, and the value field's text.
        public var value: [UInt8]?
        public var valueText: String
    }

    /// The chosen partition: nil = automatic; `.failure` with a sentence when it is not a number in range.
    func explicitPartition(partitionCount: Int32?) -> Result<Int32?, InputProblem> {
        let t = partition.text.trimmingSpaces
        if t.isEmpty || t == "auto" { return .success(nil) }
        guard let p = Int32(t), p >= 0 else { return .failure(InputProblem("partition must be 'auto' or a number")) }
        if let n = partitionCount, p >= n {
            return .failure(InputProblem("partition \(p) does not exist; the topic has \(n) (0 to \(n - 1))"))
        }
        return .success(p)
    }

    /// The headers parsed from `key=value` lines; `.failure` names the first bad line.
    var parsedHeaders: Result<[HeaderData], InputProblem> {
        var out: [HeaderData] = []
        for (i, line) in headers.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let l = line.trimmingSpaces
            if l.isEmpty { continue }
            guard let eq = l.firstIndex(of: "="), eq != l.startIndex else {
                return .failure(InputProblem("header line \(i + 1) must look like key=value"))
            }
            out.append(HeaderData(key: String(l[..<eq]), value: Array(l[l.index(after: eq)...].utf8)))
        }
        return .success(out)
    }
}

extension PublishForm {
    /// A form filled from `record` of `topic`'s `partition`, to publish it again.
    init(republishing record: FetchedRecord, topic: String, partition: Int32) {
        func text(_ bytes: [UInt8]?, multiline: Bool) -> String {
            guard let bytes else { return "" }
            if let text = Payload.text(bytes), multiline || !text.contains(where: \.isNewline) { return text }
            return SafeText.escape(bytes: bytes)
        }
        let original = Original(
            key: record.key, keyText: text(record.key, multiline: false), headers: record.headers,
            headersText: record.headers.map { SafeText.escape($0.key) + "=" + SafeText.bytes($0.value) }
                .joined(separator: "\n"),
            value: record.value, valueText: text(record.value, multiline: true))
        self.topic = TextField(topic)
        key = TextField(original.keyText)
        self.partition = TextField(String(partition))
        headers = TextField(original.headersText, multiline: true)
        value = TextField(original.valueText, multiline: true)
        self.original = original
        focus = .value
    }
}
