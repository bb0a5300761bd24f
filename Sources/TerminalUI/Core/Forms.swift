import AdminProtocol
import SkiffText
import TopicConfigRules

/// The create-topic form: name, partitions, retention.ms, cleanup.policy, and any other
/// `key=value` topic config.
public struct CreateTopicForm: Hashable, Sendable {
    /// The form's fields, in Tab order.
    public enum Field: Int, CaseIterable, Hashable, Sendable {
        case name, partitions, retentionMs, cleanupPolicy, otherConfig
    }

    /// The choices for cleanup.policy: the ones the broker accepts (``TopicConfigKeys``, the list it
    /// validates with), in its order; the first is the default.
    public static var cleanupPolicies: [String] {
        let choices = TopicConfigKeys.key("cleanup.policy")?.choices ?? []
        return choices.isEmpty ? ["delete"] : choices
    }
    /// The partition count the form starts with.
    public static let defaultPartitions = "1"

    /// The topic name.
    public var name = TextField()
    /// The partition count.
    public var partitions = TextField(Self.defaultPartitions)
    /// retention.ms; empty = the broker default.
    public var retentionMs = TextField()
    /// The index of the chosen cleanup.policy in ``cleanupPolicies``.
    public var cleanupPolicy = 0
    /// More topic config: `key=value` pairs separated by spaces.
    public var otherConfig = TextField()
    /// The focused field.
    public var focus = Field.name
    /// The fields still showing their untouched default: typing replaces it.
    public var untouched: Set<Field> = [.partitions]
    /// Whether Esc asked "discard changes? y/n" and waits for the answer.
    public var askingToDiscard = false
    /// Whether the create request is in flight.
    public var submitting = false
    /// The broker's error for the last submit, in words.
    public var error: String?

    /// A form with nothing typed yet.
    public init() {}

    /// Whether anything differs from a fresh form (Esc then asks before discarding it).
    public var isChanged: Bool {
        !name.text.isEmpty || partitions.text != Self.defaultPartitions || !retentionMs.text.isEmpty
            || cleanupPolicy != 0 || !otherConfig.text.trimmingSpaces.isEmpty
    }

    /// A problem with the name, live: Kafka's rules, then "already exists".
    public func nameProblem(existing: Set<String>) -> String? {
        if name.text.isEmpty { return "type a name: 1 to 249 of a-z A-Z 0-9 . _ -" }
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

    /// The other config pairs, each checked by the broker's rules; `.failure` names the first problem.
    public var parsedOtherConfig: Result<[String: String], InputProblem> {
        var out: [String: String] = [:]
        for word in otherConfig.text.split(whereSeparator: \.isWhitespace) {
            guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
                return .failure(InputProblem("'\(SafeText.escape(String(word)))' must look like key=value"))
            }
            let key = String(word[..<eq])
            let value = String(word[word.index(after: eq)...])
            if key == "retention.ms" || key == "cleanup.policy" {
                return .failure(InputProblem("\(key) has its own field above"))
            }
            if out[key] != nil { return .failure(InputProblem("\(SafeText.escape(key)) is given twice")) }
            if case .failure(let problem) = TopicConfigKeys.check(key: key, value: value) {
                return .failure(InputProblem(problem.message(quote: SafeText.escape)))
            }
            out[key] = value
        }
        return .success(out)
    }

    /// A problem with the other config, live.
    public var otherConfigProblem: String? {
        if case .failure(let p) = parsedOtherConfig { return p.message }
        return nil
    }

    /// The topic config the form sets.
    public var config: [String: String] {
        var c = (try? parsedOtherConfig.get()) ?? [:]
        let policies = Self.cleanupPolicies
        c["cleanup.policy"] = policies[min(cleanupPolicy, policies.count - 1)]
        let r = retentionMs.text.trimmingSpaces
        if !r.isEmpty { c["retention.ms"] = r }
        return c
    }
}

/// The publish form: topic, key, partition, headers, value (or a null value, a tombstone).
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
    /// Whether the value is null (Kafka's tombstone) rather than the typed text.
    public var nullValue = false
    /// The focused field.
    public var focus = Field.value
    /// The fields still showing their untouched default (`auto`, a prefilled topic or partition):
    /// typing replaces it.
    public var untouched: Set<Field> = [.topic, .partition]
    /// Whether Esc asked "discard changes? y/n" and waits for the answer.
    public var askingToDiscard = false
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
    /// The fields' texts as the form was opened (or last sent).
    var initialTexts: [String] = ["", "", "auto", "", ""]
    /// Whether the value was null as the form was opened (or last sent).
    var initialNullValue = false

    /// A form with nothing typed yet.
    public init() {}

    /// The fields' texts, in Tab order.
    var texts: [String] { [topic.text, key.text, partition.text, headers.text, value.text] }

    /// Takes the fields as they are now as the form's starting point (after prefilling them).
    mutating func markUnchanged() {
        initialTexts = texts
        initialNullValue = nullValue
    }

    /// Whether anything was typed or changed since the form opened (or the last send).
    public var isChanged: Bool { texts != initialTexts || nullValue != initialNullValue }

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

extension TextField {
    /// Applies an editing key. While `untouched` (the field still shows its default), a typed
    /// character replaces the whole text, as typing over a selected default does in a GUI form;
    /// editing keys (arrows, Backspace, …) keep the text and edit it. Any editing key touches it.
    @discardableResult
    mutating func edit(_ key: Key, untouched: inout Bool) -> Bool {
        if untouched, case .character = key { set("") }
        let handled = handle(key)
        if handled { untouched = false }
        return handled
    }
}

extension Set {
    /// Sends `key` to `field`, replacing its text when `self` still holds `name` (its untouched default).
    @discardableResult
    mutating func edit(_ field: inout TextField, _ name: Element, _ key: Key) -> Bool {
        var untouched = contains(name)
        let handled = field.edit(key, untouched: &untouched)
        if !untouched { remove(name) }
        return handled
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
        nullValue = record.value == nil
        focus = .value
        markUnchanged()
    }
}
