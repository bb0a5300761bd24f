import AdminClient
import AdminProtocol
import AdminServer
import BrokerCore
import BrokerTestSupport
import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing

/// The server lifecycle and client behaviour `skiff` relies on.
@Suite(.timeLimit(.minutes(1))) struct ServerLifecycleTests {
    /// `close()` makes `run()` return (no hang; the suite's time limit catches one) even while a
    /// client holds an open connection, and the broker then shuts down cleanly.
    @Test func closeEndsRunWithAClientConnected() async throws {
        let live = try await TestBroker()
        defer { live.removeData() }
        let client = live.client()
        try await client.createTopic("lifecycle", partitions: 1)
        #expect(client.isConnected)
        try await live.stop()  // closes the server, waits for run() to return, shuts the broker down
        #expect(FileManager.default.fileExists(atPath: live.dataDirectory + "/" + Broker.cleanShutdownMarker))
        await client.close()
    }

    /// A GroupConsumer heartbeats with the generation its join returned, so it collects its
    /// assignment and consumes (it used to send -1, which the coordinator refuses as stale).
    @Test func groupConsumerCollectsItsAssignment() async throws {
        let live = try await TestBroker()
        defer { live.removeData() }
        let client = live.client()
        try await client.createTopic("orders", partitions: 2)
        _ = try await client.produce(
            topic: "orders",
            records: (0..<4).map { ProduceRecord(partition: Int32($0 % 2), key: nil, value: Array("v\($0)".utf8)) })
        let consumer = GroupConsumer(client: client, groupId: "g", topics: ["orders"], autoOffsetReset: .earliest)
        var consumed: [ConsumedRecord] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while consumed.count < 4 && ContinuousClock.now < deadline {
            consumed += try await consumer.poll()
        }
        #expect(consumed.count == 4)
        #expect(await consumer.generation >= 1)
        #expect(await consumer.assignment.count == 2)
        let group = try await client.describeGroup("g")
        #expect(group.state == "Stable")
        #expect(group.members.count == 1)
        await consumer.close()
        let after = try await client.describeGroup("g")
        #expect(after.partitions.map(\.committedOffset) == [2, 2])
        await client.close()
        try await live.stop()
    }

    /// A refused connection to a host name reads "connection refused", not NIO's error dump.
    @Test func refusedConnectionReadsPlainly() async throws {
        // A port that was just free: bind it, note it, release it.
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        for host in ["127.0.0.1", "localhost"] {
            let client = AdminClient(host: host, port: port)
            await #expect(
                throws: AdminClientError.unreachable(address: "\(host):\(port)", reason: "connection refused")
            ) {
                try await client.listTopics()
            }
            await client.close()
        }
    }
}
