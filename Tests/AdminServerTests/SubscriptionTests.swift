import AdminClient
import AdminProtocol
import AdminServer
import BrokerCore
import BrokerTestSupport
import Foundation
import NIOCore
import Testing

private func record(_ value: String, partition: Int32 = 0) -> ProduceRecord {
    ProduceRecord(partition: partition, key: nil, value: bytes(value), headers: [], timestampMs: -1)
}

@Suite(.timeLimit(.minutes(2)))
struct SubscriptionTests {
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
                    #expect(sawResponse, "round \(round): a push of subscription \(subscriptionId) came before its response")
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
