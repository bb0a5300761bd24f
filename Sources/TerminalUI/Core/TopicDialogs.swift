import AdminProtocol
import SkiffText
import TopicConfigRules

/// A dialog over the topic screen: the config editor, adding partitions, deleting records.
/// While one is open it gets every key.
public enum Dialog: Hashable, Sendable {
    /// `e`: edit the topic's config.
    case editConfig(ConfigEditor)
    /// `+`: raise the partition count.
    case addPartitions(AddPartitionsDialog)
    /// `X`: delete records up to an offset (purge).
    case deleteRecords(DeleteRecordsDialog)

    /// The topic the dialog is about.
    public var topic: String {
        switch self {
        case .editConfig(let d): d.topic
        case .addPartitions(let d): d.topic
        case .deleteRecords(let d): d.topic
        }
    }

    /// The key-map screen of the dialog as it is now.
    public var keyScreen: ScreenKind {
        switch self {
        case .editConfig(let d):
            d.askingToDiscard ? .discardChanges : d.editing == nil ? .configEditor : .configValue
        case .addPartitions: .addPartitions
        case .deleteRecords: .deleteRecords
        }
    }
}

/// The topic config editor: every key the broker describes, with its value; Enter edits one,
/// `d` returns it to the default. Values are checked as they are typed with the broker's rules
/// (``TopicConfigKeys``) when the key is one this build knows; the broker checks again.
public struct ConfigEditor: Hashable, Sendable {
    /// The topic.
    public var topic: String
    /// The selected key (kept by name, so a refresh of the config does not move it).
    public var selectedKey: String
    /// The value being typed, while editing.
    public var editing: TextField?
    /// Whether the value still shows the current value untouched (typing replaces it).
    public var untouched = true
    /// Whether Esc asked "discard changes? y/n" about the typed value.
    public var askingToDiscard = false
    /// A change in flight.
    public var submitting = false
    /// The broker's error for the last change, in words.
    public var error: String?

    /// An editor on `topic` with `key` selected.
    public init(topic: String, selectedKey: String) {
        self.topic = topic
        self.selectedKey = selectedKey
    }

    /// What is wrong with `value` for `key` by the rules this build knows; nil = fine (or a key
    /// only the broker knows: it checks).
    public static func problem(key: String, value: String) -> String? {
        guard TopicConfigKeys.key(key) != nil else { return nil }
        if case .failure(let problem) = TopicConfigKeys.check(key: key, value: value) {
            return problem.message(quote: SafeText.escape)
        }
        return nil
    }
}

/// Raise a topic's partition count.
public struct AddPartitionsDialog: Hashable, Sendable {
    /// The topic.
    public var topic: String
    /// The partition count when the dialog opened.
    public var current: Int32
    /// The new total count.
    public var count: TextField
    /// Whether the count still shows its default (current + 1): typing replaces it.
    public var untouched = true
    /// The request is in flight.
    public var submitting = false
    /// The broker's error, in words.
    public var error: String?

    /// A dialog on `topic`, which has `current` partitions.
    public init(topic: String, current: Int32) {
        self.topic = topic
        self.current = current
        self.count = TextField(String(current + 1))
    }

    /// The new count, or what is wrong with it.
    public var total: Result<Int32, InputProblem> {
        guard let n = Int32(count.text.trimmingSpaces) else {
            return .failure(InputProblem("type the new partition count, more than \(current)"))
        }
        guard n > current else {
            return .failure(
                InputProblem("the topic has \(current) partitions; the new count must be more (they cannot be removed)")
            )
        }
        guard n <= 10_000 else { return .failure(InputProblem("at most 10,000 partitions")) }
        return .success(n)
    }
}

/// Delete the records of one partition, or of every partition, before an offset (Kafka's
/// DeleteRecords, "purge"). Enter asks to confirm by typing the topic's name.
public struct DeleteRecordsDialog: Hashable, Sendable {
    /// The dialog's fields, in Tab order.
    public enum Field: Int, CaseIterable, Hashable, Sendable {
        /// The partition under the cursor, or all of them.
        case partitions
        /// The offset to delete before, or `end`.
        case before
    }

    /// The topic.
    public var topic: String
    /// The partition under the topic screen's cursor when the dialog opened.
    public var cursorPartition: Int32
    /// Whether every partition is covered, else only ``cursorPartition``.
    public var allPartitions = false
    /// The offset to delete before; `end` = the high watermark (every record).
    public var before = TextField("end")
    /// Whether `before` still shows its default (`end`): typing replaces it.
    public var untouched = true
    /// The focused field.
    public var focus = Field.before
    /// The request is in flight.
    public var submitting = false
    /// The broker's error, in words.
    public var error: String?

    /// A dialog on `topic` with the cursor on `partition`.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.cursorPartition = partition
    }

    /// One partition's part of the plan: its watermarks and where its low watermark goes.
    public struct Step: Hashable, Sendable {
        /// The partition.
        public var partition: Int32
        /// Its low watermark now.
        public var low: Int64
        /// Its high watermark now.
        public var high: Int64
        /// The new low watermark.
        public var newLow: Int64

        /// Records the step deletes.
        public var deleted: Int64 { max(0, newLow - low) }
    }

    /// What would be deleted from `partitions` (the described topic), or what is wrong.
    func plan(_ partitions: [PartitionInfo]) -> Result<[Step], InputProblem> {
        let text = before.text.trimmingSpaces
        let offset: Int64?
        if text.isEmpty || text == "end" {
            offset = nil
        } else {
            guard let o = Int64(text), o >= 0 else {
                return .failure(InputProblem("type an offset (0 or more), or end for every record"))
            }
            offset = o
        }
        let chosen = allPartitions ? partitions : partitions.filter { $0.partition == cursorPartition }
        var steps: [Step] = []
        for p in chosen {
            let target = offset ?? p.highWatermark
            if target > p.highWatermark {
                return .failure(
                    InputProblem(
                        "offset \(target) is past the end of partition \(p.partition) (high watermark \(p.highWatermark))"
                    ))
            }
            steps.append(
                Step(
                    partition: p.partition, low: p.logStartOffset, high: p.highWatermark,
                    newLow: max(p.logStartOffset, target)))
        }
        return .success(steps)
    }

    /// The request for `steps`.
    static func request(_ steps: [Step]) -> [DeleteRecordsPartition] {
        steps.map { DeleteRecordsPartition(partition: $0.partition, offset: $0.newLow) }
    }
}
