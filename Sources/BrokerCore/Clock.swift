import Foundation
import Synchronization

/// The broker's source of wall-clock time in milliseconds since the Unix epoch.
///
/// Everything time-dependent in the core (timestamps stamped on append, segment rolling by
/// `segment.ms`, retention, session expiry, time lag) reads time through this protocol so that
/// tests can move time forward without sleeping.
public protocol BrokerClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64
}

/// The real wall clock.
public struct SystemClock: BrokerClock {
    /// Creates the system clock.
    public init() {}

    public func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// A clock that only moves when told to; for tests.
public final class ManualClock: BrokerClock {
    private let now: Mutex<Int64>

    /// Creates a clock that reads `start` milliseconds since the epoch.
    public init(start: Int64 = 1_700_000_000_000) {
        now = Mutex(start)
    }

    public func nowMilliseconds() -> Int64 { now.withLock { $0 } }

    /// Moves time forward by `milliseconds`.
    public func advance(by milliseconds: Int64) {
        now.withLock { $0 += milliseconds }
    }

    /// Sets the time to `milliseconds` since the epoch.
    public func set(_ milliseconds: Int64) {
        now.withLock { $0 = milliseconds }
    }
}
