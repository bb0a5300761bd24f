import BrokerCore
import Synchronization

/// Wakes live-tail subscriptions when records are appended to the partitions they follow (or
/// their topic is deleted), so subscribers never poll the logs on a timer for new data.
final class AppendNotifier: Sendable {
    private struct Waiter {
        let partitions: Set<TopicPartition>
        let continuation: AsyncStream<Void>.Continuation
    }

    private struct State {
        var nextId = 0
        var waiters: [Int: Waiter] = [:]
        var byPartition: [TopicPartition: Set<Int>] = [:]
    }

    private let state = Mutex(State())

    /// Registers interest in `partitions`. The stream yields (coalesced) after each append to one
    /// of them; `continuation` lets the caller wake itself too.
    func register(
        _ partitions: Set<TopicPartition>
    ) -> (
        id: Int, stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation
    ) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            let id = state.nextId
            state.nextId += 1
            state.waiters[id] = Waiter(partitions: partitions, continuation: continuation)
            for tp in partitions { state.byPartition[tp, default: []].insert(id) }
            return id
        }
        return (id, stream, continuation)
    }

    /// Removes a registration and finishes its stream.
    func unregister(_ id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiters.removeValue(forKey: id) else { return nil }
            for tp in waiter.partitions {
                state.byPartition[tp]?.remove(id)
                if state.byPartition[tp]?.isEmpty == true { state.byPartition[tp] = nil }
            }
            return waiter
        }
        waiter?.continuation.finish()
    }

    /// Signals a change to every followed partition of `topic` (it was deleted): their
    /// subscriptions look again at once instead of on their safety tick.
    func notify(topic: String) {
        let continuations = state.withLock { state -> [AsyncStream<Void>.Continuation] in
            var ids = Set<Int>()
            for (tp, waiting) in state.byPartition where tp.topic == topic { ids.formUnion(waiting) }
            return ids.compactMap { state.waiters[$0]?.continuation }
        }
        for c in continuations { c.yield() }
    }

    /// Signals that records were appended to `partitions`.
    func notify<S: Sequence<TopicPartition>>(_ partitions: S) {
        let continuations = state.withLock { state -> [AsyncStream<Void>.Continuation] in
            var ids = Set<Int>()
            for tp in partitions { ids.formUnion(state.byPartition[tp] ?? []) }
            return ids.compactMap { state.waiters[$0]?.continuation }
        }
        for c in continuations { c.yield() }
    }
}
