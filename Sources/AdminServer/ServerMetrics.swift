import BrokerCore
import Synchronization

/// Connection count and produce/fetch rates, shared by all connections of one server.
final class ServerMetrics: Sendable {
    private struct Sample {
        var time: Int64
        var produced: Int64
        var fetched: Int64
    }

    private let connections = Atomic<Int>(0)
    private let samples = Mutex<[Sample]>([])
    /// Rates are averaged over this window.
    let windowMs: Int64 = 10_000

    var connectionCount: Int { connections.load(ordering: .relaxed) }

    /// Counts a new connection unless `limit` is reached; returns whether it was admitted.
    func admitConnection(limit: Int) -> Bool {
        while true {
            let current = connections.load(ordering: .relaxed)
            if current >= limit { return false }
            if connections.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged {
                return true
            }
        }
    }

    func connectionClosed() { connections.subtract(1, ordering: .relaxed) }

    /// Records the counters at `now`; called about once a second.
    func sample(now: Int64, counters: TrafficCounters) {
        samples.withLock { samples in
            samples.append(Sample(time: now, produced: counters.producedRecords, fetched: counters.fetchedRecords))
            samples.removeAll { now - $0.time > windowMs + 1_000 }
        }
    }

    /// Records per second produced and fetched over the window ending at `now`.
    func rates(now: Int64, counters: TrafficCounters) -> (produce: Double, fetch: Double) {
        samples.withLock { samples in
            guard let oldest = samples.first(where: { now - $0.time <= windowMs }) ?? samples.last,
                now > oldest.time
            else { return (0, 0) }
            let seconds = Double(now - oldest.time) / 1000
            return (
                Double(counters.producedRecords - oldest.produced) / seconds,
                Double(counters.fetchedRecords - oldest.fetched) / seconds
            )
        }
    }
}

/// The address of the Kafka listener that shares this admin server, once it is bound: what
/// ClusterInfo reports (and the UI's broker screen shows) as where Kafka clients connect.
final class KafkaListenerAnnouncement: Sendable {
    private let address = Mutex<String?>(nil)

    var current: String? { address.withLock { $0 } }

    func announce(_ text: String?) { address.withLock { $0 = text } }
}
