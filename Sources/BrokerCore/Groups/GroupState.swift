/// The state of a consumer group, with Kafka's names (`kafka.coordinator.group.GroupState`).
///
/// ```
///   Empty ──join──▶ PreparingRebalance ──all rejoined / timeout──▶ CompletingRebalance
///     ▲                 ▲        │                                      │
///     │                 │        └──no members left──▶ Empty            │ every member
///     │                 └──join, leave, expiry, subscription change──┐  │ collected its
///     │                                                              │  ▼ assignment
///     └──(deleted or expired) Dead                                  Stable
/// ```
/// The raw value is Kafka's display string, the one `kafka-consumer-groups.sh` prints.
public enum GroupState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// No members; the group may still hold committed offsets.
    case empty = "Empty"
    /// A rebalance started; the coordinator waits for every member to (re)join.
    case preparingRebalance = "PreparingRebalance"
    /// Every member joined and a new generation started; members are collecting their assignments.
    case completingRebalance = "CompletingRebalance"
    /// Every member holds its assignment of the current generation.
    case stable = "Stable"
    /// The group was deleted or expired and no longer exists.
    case dead = "Dead"

    /// Kafka's display string, e.g. `PreparingRebalance`.
    public var description: String { rawValue }
}
