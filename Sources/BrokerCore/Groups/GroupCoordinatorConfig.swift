/// The group coordinator's limits, with Kafka's broker config names and defaults.
public struct GroupCoordinatorConfig: Hashable, Sendable {
    /// `group.min.session.timeout.ms`: the shortest session timeout a member may ask for.
    public var minSessionTimeoutMs: Int32 = 6_000
    /// `group.max.session.timeout.ms`: the longest session timeout a member may ask for.
    public var maxSessionTimeoutMs: Int32 = 1_800_000
    /// `offset.metadata.max.bytes`: the largest commit metadata string, in UTF-8 bytes.
    public var maxOffsetMetadataBytes: Int = 4096
    /// The longest group id accepted, in UTF-8 bytes.
    public var maxGroupIdBytes: Int = 255
    /// The assignor of a group whose first member names none.
    public var defaultAssignor: PartitionAssignorName = .range

    /// Kafka's defaults.
    public init() {}
}
