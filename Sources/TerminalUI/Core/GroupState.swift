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

/// The reset-offsets dialog: choose a target, see the dry-run plan, confirm.
public struct ResetDialog: Hashable, Sendable {
    /// Where the dialog is.
    public enum Phase: Hashable, Sendable {
        /// Choosing a target.
        case choosing
        /// The dry run is in flight.
        case planning(ResetTarget)
        /// The dry-run plan, waiting for `y`.
        case preview(ResetTarget, [OffsetResetInfo])
        /// The reset is being written.
        case applying(ResetTarget, planned: [OffsetResetInfo])
    }

    /// The chosen target kind.
    public var choice = ResetChoice.earliest
    /// The offset, time or N.
    public var value = TextField()
    /// Where the dialog is.
    public var phase = Phase.choosing
    /// The broker's (or the input's) error, in words.
    public var error: String?

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
}

/// A sentence saying why typed input was refused.
public struct InputProblem: Error, Hashable, Sendable {
    /// The sentence.
    public var message: String
    init(_ message: String) { self.message = message }
}
