import AdminClient
import AdminProtocol
import Testing

@testable import TerminalUI

struct RunnerTests {
    /// A page over several partitions is fetched concurrently and returned in request order.
    @Test func fetchesEveryPartitionOfAPage() async {
        let runner = EffectRunner(service: demoBroker())
        let fetch = MessageFetch(
            requestId: 9, topic: "prices",
            partitions: [
                PartitionFetch(partition: 1, start: .lastN(3), maxRecords: 3),
                PartitionFetch(partition: 0, start: .offset(10), maxRecords: 2),
            ])
        let actions = await runner.perform(.fetchMessages(fetch))
        guard case .messagesFetched(9, .success(let parts))? = actions.first else {
            Issue.record("unexpected \(actions)")
            return
        }
        #expect(parts.map(\.partition) == [1, 0])
        #expect(parts[0].records.map(\.offset) == [797, 798, 799])
        #expect(parts[1].records.map(\.offset) == [10, 11])
        #expect(parts[0].highWatermark == 800)
    }

    /// A start offset that retention deleted is retried from the oldest record instead of failing.
    @Test func offsetOutOfRangeFallsBackToOldest() async {
        let fake = FakeAdminService()
        fake.addTopic("trimmed", partitions: [syntheticPartition(count: 1_000, low: 400)])
        let runner = EffectRunner(service: fake)
        let actions = await runner.perform(
            .fetchMessages(
                MessageFetch(
                    requestId: 1, topic: "trimmed",
                    partitions: [PartitionFetch(partition: 0, start: .offset(50), maxRecords: 2)])))
        guard case .messagesFetched(1, .success(let parts))? = actions.first else {
            Issue.record("unexpected \(actions)")
            return
        }
        #expect(parts[0].records.map(\.offset) == [400, 401])
    }

    /// Subscriptions run as tasks posting events to the inbox, and stop on unsubscribe.
    @Test func subscriptionsPostToTheInbox() async {
        let fake = demoBroker()
        let runner = EffectRunner(service: fake)
        runner.run(
            .subscribe(
                id: 7, partitions: [SubscribePartition(topic: "greetings", partition: 0, fromOffset: 5)], lagGroupId: ""
            ))
        var posted: [Action] = []
        for _ in 0..<2_000 where fake.subscriberCount == 0 { try? await Task.sleep(for: .milliseconds(5)) }
        fake.append("greetings", partition: 0, values: ["hi"])
        for _ in 0..<2_000 where posted.isEmpty {
            posted += runner.inbox.drain()
            try? await Task.sleep(for: .milliseconds(5))
        }
        guard case .subscriptionEvent(7, .records("greetings", 0, 6, let records))? = posted.first else {
            Issue.record("unexpected \(posted)")
            return
        }
        #expect(records.map(\.offset) == [5])
        runner.run(.unsubscribe(id: 7))
        for _ in 0..<2_000 where fake.subscriberCount > 0 { try? await Task.sleep(for: .milliseconds(5)) }
        #expect(fake.subscriberCount == 0)
    }

    /// A subscription that cannot start reports the client's error.
    @Test func failedSubscriptionIsReported() async {
        let fake = demoBroker()
        fake.unreachable = true
        let runner = EffectRunner(service: fake)
        runner.run(.subscribe(id: 3, partitions: [], lagGroupId: "g"))
        var posted: [Action] = []
        for _ in 0..<2_000 where posted.isEmpty {
            posted += runner.inbox.drain()
            try? await Task.sleep(for: .milliseconds(5))
        }
        #expect(
            posted == [
                .subscriptionFailed(
                    id: 3, .unreachable(address: FakeAdminService.address, reason: "connection refused"))
            ])
    }

    /// Undo commits the old offsets as a standalone client (empty member id, generation -1).
    @Test func restoreCommitsStandalone() async {
        let fake = demoBroker()
        let runner = EffectRunner(service: fake)
        let actions = await runner.perform(
            .restoreOffsets(
                groupId: "trading-strategy.xyz", offsets: [CommitOffset(topic: "prices", partition: 0, offset: 5)]))
        #expect(actions == [.offsetsRestored(groupId: "trading-strategy.xyz", count: 1, error: nil)])
        #expect(fake.committed("trading-strategy.xyz", "prices", 0) == 5)
        #expect(fake.calls.last == "commitOffsets")
    }
}
