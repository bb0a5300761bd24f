import AdminClient
import AdminProtocol
import AdminServer
import BrokerCore
import BrokerTestSupport
import Foundation
import NIOCore
import Testing

/// A broker whose subscriptions never re-check on their safety tick, so whatever ends a live tail
/// in these tests is the wake-up under test, not the clock.
private func brokerWithoutSafetyTick() async throws -> TestBroker {
    try await TestBroker { $0.subscriptionRecheckInterval = .seconds(3600) }
}

private func record(_ value: String, partition: Int32 = 0) -> ProduceRecord {
    ProduceRecord(partition: partition, key: nil, value: bytes(value), headers: [], timestampMs: -1)
}

/// Reads events until `count` records have arrived; returns their values.
private func readValues(
    _ count: Int, from iterator: inout AsyncThrowingStream<SubscriptionEvent, any Error>.AsyncIterator
) async throws -> [String] {
    var values: [String] = []
    while values.count < count, let event = try await iterator.next() {
        guard case .records(_, _, _, let records) = event else {
            Issue.record("expected records, got \(event)")
            return values
        }
        values += records.map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }
    return values
}

@Suite(.timeLimit(.minutes(2)))
struct SubscriptionTests {
    /// Deleting a followed topic ends its live tail at once (the DeleteTopic handler wakes it; the
    /// safety tick is off here) with a reason that names the topic.
    @Test func tailEndsWhenItsTopicIsDeleted() async throws {
        let broker = try await brokerWithoutSafetyTick()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("prices", partitions: 2)
        _ = try await client.produce(topic: "prices", records: [record("a"), record("b")])
        let stream = try await client.subscribe(partitions: [
            SubscribePartition(topic: "prices", partition: 0, fromOffset: 0),
            SubscribePartition(topic: "prices", partition: 1, fromOffset: 0),
        ])
        var events = stream.makeAsyncIterator()
        #expect(try await readValues(2, from: &events) == ["a", "b"])
        try await client.deleteTopic("prices")
        let event = try await events.next()
        #expect(event == .ended(reason: "topic 'prices' was deleted"))
        #expect(try await events.next() == nil)
        await client.close()
        try await broker.stop()
    }

    /// A topic deleted and at once recreated under the same name is a different topic: the tail
    /// ends (telling so) instead of going on with the new topic's records from the old position.
    @Test func tailEndsWhenItsTopicIsRecreated() async throws {
        let broker = try await brokerWithoutSafetyTick()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("prices", partitions: 1)
        _ = try await client.produce(topic: "prices", records: [record("old-0"), record("old-1")])
        let stream = try await client.subscribe(partitions: [
            SubscribePartition(topic: "prices", partition: 0, fromOffset: 0)
        ])
        var events = stream.makeAsyncIterator()
        #expect(try await readValues(2, from: &events) == ["old-0", "old-1"])
        // Straight on the broker, so no DeleteTopic handler wakes the tail: the produce below does.
        try broker.broker.deleteTopic("prices")
        _ = try broker.broker.createTopic("prices", partitions: 1, config: [:])
        _ = try await client.produce(
            topic: "prices", records: [record("new-0"), record("new-1"), record("new-2")])
        let event = try await events.next()
        #expect(event == .ended(reason: "topic 'prices' was deleted and recreated (topic id changed)"))
        #expect(try await events.next() == nil)
        await client.close()
        try await broker.stop()
    }

    /// A subscription the broker ended gives its place on the connection back before its `ended`
    /// event, so a client whose tails all ended can subscribe again on the same connection.
    @Test func anEndedSubscriptionGivesBackItsPlace() async throws {
        let broker = try await TestBroker {
            $0.subscriptionRecheckInterval = .seconds(3600)
            $0.maxSubscriptionsPerConnection = 2
        }
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("prices", partitions: 1)
        let follow = [SubscribePartition(topic: "prices", partition: 0, fromOffset: 0)]
        let first = try await client.subscribe(partitions: follow)
        // With a group's lag too: its snapshots stop with the tail.
        let second = try await client.subscribe(partitions: follow, lagGroupId: "g", lagInterval: .milliseconds(100))
        try await client.deleteTopic("prices")
        for stream in [first, second] {
            var ended: String?
            for try await event in stream {
                if case .ended(let reason) = event { ended = reason }
            }
            #expect(ended == "topic 'prices' was deleted")
        }
        try await client.createTopic("prices", partitions: 1)
        var again = try await client.subscribe(partitions: follow).makeAsyncIterator()
        _ = try await client.produce(topic: "prices", records: [record("new")])
        #expect(try await readValues(1, from: &again) == ["new"])
        await client.close()
        try await broker.stop()
    }

    /// A tail that was following a topic keeps following after another topic of the same broker
    /// is deleted (the wake-up of a deletion re-checks, it does not end unrelated subscriptions).
    @Test func deletingAnotherTopicLeavesTheTailRunning() async throws {
        let broker = try await brokerWithoutSafetyTick()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("prices", partitions: 1)
        try await client.createTopic("other", partitions: 1)
        let stream = try await client.subscribe(partitions: [
            SubscribePartition(topic: "prices", partition: 0, fromOffset: 0)
        ])
        var events = stream.makeAsyncIterator()
        try await client.deleteTopic("other")
        _ = try await client.produce(topic: "prices", records: [record("still here")])
        #expect(try await readValues(1, from: &events) == ["still here"])
        await client.close()
        try await broker.stop()
    }

    /// The Subscribe response is on the wire before the subscription's first push, even when the
    /// partition already holds records to push (section 4.20). Repeated, since the push task and
    /// the response race when nothing orders them: unordered, about 1 round in 20 saw the push first.
    @Test func subscribeResponseComesBeforeItsPushes() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let client = broker.client()
        try await client.createTopic("prices", partitions: 1)
        _ = try await client.produce(topic: "prices", records: (0..<3).map { record("v\($0)") })
        let raw = try RawConnection(port: broker.port)
        raw.send(handshakeFrame())
        #expect(try responseHeader(await raw.readFrame()).errorCode == 0)
        for round in UInt32(0)..<200 {
            let subscriptionId = 100 + round
            raw.send(
                AdminFrame.encodeRequest(
                    .subscribe(
                        SubscribeRequest(
                            partitions: [SubscribePartition(topic: "prices", partition: 0, fromOffset: 0)],
                            lagGroupId: "", lagIntervalMs: 0)),
                    version: 1, correlationId: subscriptionId))
            // The first frame about this subscription is its response, then come its pushes.
            var sawResponse = false
            while true {
                let header = try responseHeader(await raw.readFrame())
                guard header.correlationId == subscriptionId else { continue }  // an earlier subscription
                if header.kind == .response {
                    #expect(!sawResponse && header.errorCode == 0, "\(header)")
                    sawResponse = true
                } else {
                    #expect(
                        sawResponse, "round \(round): a push of subscription \(subscriptionId) came before its response"
                    )
                    break
                }
            }
            let unsubscribeId = 10_000 + round
            raw.send(
                AdminFrame.encodeRequest(
                    .unsubscribe(UnsubscribeRequest(subscriptionId: subscriptionId)), version: 1,
                    correlationId: unsubscribeId))
            while try responseHeader(await raw.readFrame()).correlationId != unsubscribeId {}
        }
        await client.close()
        try await broker.stop()
    }
}
