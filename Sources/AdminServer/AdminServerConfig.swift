import AdminProtocol
import NIOCore

/// How the admin server listens and what it allows one connection to do.
public struct AdminServerConfig: Sendable {
    /// The address to bind; loopback unless told otherwise.
    public var host: String = "127.0.0.1"
    /// The port to bind; 0 picks a free one (tests do this).
    public var port: Int = 9292
    /// The largest frame accepted, in bytes.
    public var maxFrameBytes: Int = 16 << 20
    /// Requests read ahead of their responses on one connection.
    public var maxInFlightRequests: Int = 64
    /// A connection with no traffic for this long is closed.
    public var idleTimeout: TimeAmount = .minutes(10)
    /// Once the first byte of a frame has arrived, the whole frame must arrive within this;
    /// otherwise the broker answers `TOO_MANY_REQUESTS` ("frame not completed within 30 s") and
    /// closes the connection, so a client dribbling bytes cannot hold a connection and its partly
    /// read frame open. Time the broker itself stops reading (requests in flight) does not count.
    public var frameTimeout: TimeAmount = .seconds(30)
    /// A new connection must complete the ApiVersions handshake within this; otherwise the broker
    /// answers `HANDSHAKE_REQUIRED` and closes it.
    public var handshakeTimeout: TimeAmount = .seconds(10)
    /// Most connections served at once; more are refused with a clear error.
    public var maxConnections: Int = 4096
    /// Records one Produce request may carry.
    public var maxProduceRecords: Int = 100_000
    /// Largest `maxRecords` of a Fetch.
    public var maxFetchRecords: Int = 10_000
    /// Subscriptions one connection may hold.
    public var maxSubscriptionsPerConnection: Int = 16
    /// Partitions one subscription may follow.
    public var maxPartitionsPerSubscription: Int = 1_000
    /// How often a live tail re-checks the partitions it follows even when nothing woke it: the
    /// safety net for what no append or topic deletion signals (retention moving the low
    /// watermark, a topic deleted without going through this server).
    public var subscriptionRecheckInterval: Duration = .seconds(1)
    /// Unsent push data a subscription may have before it waits for the client to read.
    public var maxPendingPushBytes: Int = 1 << 20
    /// The accepted tokens and what each may do; nil turns authentication off (every connection
    /// is admin). With tokens, the ApiVersions handshake must carry one of them (section 4.1 of
    /// docs/admin-protocol.md).
    public var tokens: [String: AdminRole]?
    /// Version string reported in ApiVersions and ClusterInfo.
    public var brokerVersion: String = SkiffVersion.current

    /// Loopback on the default port with the limits documented in docs/admin-protocol.md.
    public init() {}
}

/// The version of Skiff.
public enum SkiffVersion {
    /// This build's version.
    public static let current = "0.1.0"
}
