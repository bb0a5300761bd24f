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

    /// The key scan reads newest first, stops at the match limit, and reports how far it got.
    @Test func keyScanStopsAtItsLimits() async throws {
        let fake = FakeAdminService()
        fake.addTopic("big", partitions: [syntheticPartition(count: 1_000_000)])
        let hits = try await KeyScan.run(
            KeySearchRequest(
                requestId: 1, topic: "big", partition: 0, key: Array("key-3".utf8), scanLimit: 100_000, maxMatches: 200),
            service: fake)
        #expect(hits.matches.count == 200)
        #expect(hits.matches.allSatisfy { $0.key == Array("key-3".utf8) })
        #expect(hits.matches.last?.offset == 999_995)
        #expect(hits.scannedTo == 1_000_000)
        #expect(hits.scannedFrom == 998_000)
        #expect(!hits.isComplete)
        let none = try await KeyScan.run(
            KeySearchRequest(
                requestId: 2, topic: "big", partition: 0, key: Array("nope".utf8), scanLimit: 100_000, maxMatches: 200),
            service: fake)
        #expect(none.matches.isEmpty)
        #expect(none.scannedFrom == 900_000)
    }

    /// A broker returns fewer records than asked when their bytes reach its cap (large records):
    /// the scan reads each chunk on to its end rather than skipping the rest of it.
    @Test func keyScanReadsPastAShortFetch() async throws {
        let fake = FakeAdminService()
        fake.addTopic("big", partitions: [syntheticPartition(count: 10_000)])
        fake.maxRecordsPerFetch = 300
        let hits = try await KeyScan.run(
            KeySearchRequest(
                requestId: 1, topic: "big", partition: 0, key: Array("key-3".utf8), scanLimit: 100_000,
                maxMatches: 100_000),
            service: fake)
        let found = Set(hits.matches.map(\.offset))
        let missed = stride(from: Int64(3), to: 10_000, by: 7).filter { !found.contains($0) }
        #expect(missed.isEmpty, "\(missed.count) matches missed, the first at \(missed.first ?? -1)")
        #expect(hits.matches.count == found.count)
        #expect(hits.isComplete)
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
