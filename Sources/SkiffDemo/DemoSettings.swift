/// The pace of the live demo. The defaults suit a person watching; tests shorten them.
public struct DemoSettings: Sendable {
    /// Time between two prices (a few per second).
    public var priceInterval: Duration = .milliseconds(250)
    /// How often the fast strategy and the order executors poll.
    public var fastPollInterval: Duration = .milliseconds(200)
    /// While the slow strategy is slow it takes one record per this interval (fewer than the
    /// feed writes, so its lag grows).
    public var slowRecordInterval: Duration = .milliseconds(500)
    /// How long the slow strategy stays slow…
    public var slowPhase: Duration = .seconds(40)
    /// …and how long it then catches up (taking ``catchUpBatch`` records per
    /// ``fastPollInterval``) before it is slow again.
    public var catchUpPhase: Duration = .seconds(20)
    /// Records per poll while catching up.
    public var catchUpBatch: Int32 = 2
    /// The consumers' heartbeat interval (heartbeats ride on polls).
    public var heartbeatInterval: Duration = .seconds(1)
    /// The consumers' session timeout (the broker's minimum is 6 s).
    public var sessionTimeoutMs: Int32 = 10_000
    /// How long a producer or consumer waits after an error before it tries again.
    public var retryDelay: Duration = .seconds(1)

    /// The defaults.
    public init() {}
}
