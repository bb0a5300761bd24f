import AdminProtocol
import SkiffText

/// The group screen: members, the lag table, live lag snapshots, the reset dialog and its undo.
public struct GroupState: Hashable, Sendable {
    /// The group id.
    public var groupId: String
    /// The last description; lag rows are replaced by live snapshots in between.
    public var description: DescribeGroupResponse?
    /// The selected lag row.
    public var cursor = 0
    /// The first lag row shown.
    public var scroll = 0
    /// The live lag subscription, when running.
    public var lagSubscription: Int?
    /// Set when the broker ended or refused the lag subscription: no more attempts on this screen.
    public var lagSubscriptionEnded = false
    /// Total lag at each snapshot, oldest first.
    public var lagHistory: [Int64] = []
    /// The reset dialog, while open.
    public var reset: ResetDialog?
    /// The offsets before the last applied reset: what `u` restores.
    public var undo: [OffsetResetInfo]?
    /// The last error loading it.
    public var error: String?

    /// A group screen waiting for its description.
    public init(groupId: String) { self.groupId = groupId }

    /// The lag rows, sorted by topic and partition.
    public var partitions: [GroupPartitionInfo] { description?.partitions ?? [] }
}

/// What a reset moves the offsets to.
public enum ResetChoice: String, CaseIterable, Hashable, Sendable {
    case earliest, latest, offset, timestamp, shift

    /// The label in the dialog.
    public var label: String {
        switch self {
        case .earliest: "earliest"
        case .latest: "latest"
        case .offset: "offset"
        case .timestamp: "timestamp"
        case .shift: "shift by N"
        }
    }

    /// What to type for this choice; nil when nothing.
    public var valueHint: String? {
        switch self {
        case .earliest, .latest: nil
        case .offset: "an offset, e.g. 1200"
        case .timestamp: TimeInput.shortHint
        case .shift: "records to move, e.g. -100 (back) or 50 (forward)"
        }
    }
}

/// Which partitions a reset covers (`kafka-consumer-groups --reset-offsets --all-topics`,
/// `--topic t`, `--topic t:0,1`).
public enum ResetScope: Hashable, Sendable {
    /// Every topic the group has committed offsets for.
    case allTopics
    /// Every partition of one topic.
    case topic(String)
    /// Chosen partitions of one topic, sorted.
    case partitions(String, [Int32])

    /// The whole topics of the request.
    public var topics: [String] {
        if case .topic(let t) = self { return [t] }
        return []
    }

    /// The single partitions of the request.
    public var partitions: [TopicPartitionRef] {
        if case .partitions(let t, let ps) = self { return ps.map { TopicPartitionRef(topic: t, partition: $0) } }
        return []
    }

    /// In words, for the dialog's title: `every topic it has offsets for`, `topic 'prices'`,
    /// `partitions 0,1 of 'prices'`.
    public var label: String {
        switch self {
        case .allTopics: "every topic it has offsets for"
        case .topic(let t): "topic '\(t)'"
        case .partitions(let t, let ps):
            "\(ps.count == 1 ? "partition" : "partitions") \(ps.map(String.init).joined(separator: ",")) of '\(t)'"
        }
    }
}

/// The reset-offsets dialog: choose a target and what it covers, see the dry-run plan, confirm.
public struct ResetDialog: Hashable, Sendable {
    /// Where the dialog is.
    public enum Phase: Hashable, Sendable {
        /// Choosing a target.
        case choosing
        /// The dry run is in flight.
        case planning(ResetTarget, ResetScope)
        /// The dry-run plan, waiting for `y`.
        case preview(ResetTarget, ResetScope, [OffsetResetInfo])
        /// The reset is being written.
        case applying(ResetTarget, ResetScope, planned: [OffsetResetInfo])
    }

    /// The dialog's rows, in Tab order (rows that do not apply are skipped).
    public enum Row: Int, CaseIterable, Hashable, Sendable {
        /// The target kind.
        case target
        /// The offset, time or N, for the targets that take one.
        case value
        /// All topics of the group, or one of them.
        case topic
        /// The chosen topic's partitions (empty = all), when a topic is chosen.
        case partitions
    }

    /// The chosen target kind.
    public var choice = ResetChoice.earliest
    /// The offset, time or N.
    public var value = TextField()
    /// The topics the group has committed offsets for, the topic row's choices after "all".
    public var topics: [String] = []
    /// The chosen topic; nil = every topic of the group.
    public var topic: String?
    /// The chosen topic's partitions, `0,1` or `0-3`; empty = all of them.
    public var partitions = TextField()
    /// The focused row.
    public var focus = Row.target
    /// Where the dialog is.
    public var phase = Phase.choosing
    /// The broker's (or the input's) error, in words.
    public var error: String?
    /// The row the input error is about (shown next to it); nil = the broker's error.
    public var errorRow: Row?

    /// A dialog over a group with offsets on `topics`.
    public init(topics: [String] = []) {
        self.topics = topics
    }

    /// The rows that apply now, in Tab order.
    public var rows: [Row] {
        var out: [Row] = [.target]
        if choice.valueHint != nil { out.append(.value) }
        out.append(.topic)
        if topic != nil { out.append(.partitions) }
        return out
    }

    /// The target for the current choice and value, or a sentence saying what is wrong.
    func target(nowMs: Int64, utcOffsetSeconds: Int) -> Result<ResetTarget, InputProblem> {
        let text = value.text.trimmingSpaces
        switch choice {
        case .earliest: return .success(.earliest)
        case .latest: return .success(.latest)
        case .offset:
            guard let o = Int64(text), o >= 0 else { return .failure(InputProblem("type an offset (0 or more)")) }
            return .success(.offset(o))
        case .timestamp:
            do {
                return .success(.timestamp(try TimeInput.parse(text, nowMs: nowMs, utcOffsetSeconds: utcOffsetSeconds)))
            } catch {
                return .failure(InputProblem("\(error.problem); use \(TimeInput.hint)"))
            }
        case .shift:
            guard let n = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) else {
                return .failure(InputProblem("type how many records to shift, e.g. -100 or 50"))
            }
            return .success(.shift(n))
        }
    }

    /// What the reset covers, or a sentence saying what is wrong with the partitions typed;
    /// `partitionCount` is the chosen topic's, when known.
    func scope(partitionCount: Int32?) -> Result<ResetScope, InputProblem> {
        guard let topic else { return .success(.allTopics) }
        let text = partitions.text.trimmingSpaces
        if text.isEmpty || text == "all" { return .success(.topic(topic)) }
        var chosen: Set<Int32> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.trimmingSpaces
            }
            guard let first = Int32(bounds[0]), first >= 0, let last = bounds.count == 2 ? Int32(bounds[1]) : first,
                last >= first
            else {
                return .failure(
                    InputProblem(
                        "'\(SafeText.escape(item.trimmingSpaces))' is not a partition; type e.g. 0,1 or 0-3 (empty = all)"
                    ))
            }
            if let n = partitionCount, last >= n {
                return .failure(
                    InputProblem("partition \(last) does not exist; '\(topic)' has \(n) (0 to \(n - 1))"))
            }
            chosen.formUnion(first...last)
        }
        return .success(.partitions(topic, chosen.sorted()))
    }
}

/// A sentence saying why typed input was refused.
public struct InputProblem: Error, Hashable, Sendable {
    /// The sentence.
    public var message: String
    init(_ message: String) { self.message = message }
}
