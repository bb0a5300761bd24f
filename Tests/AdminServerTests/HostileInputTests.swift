import AdminClient
import AdminProtocol
import AdminServer
import BrokerTestSupport
import Foundation
import NIOCore
import Testing

/// A request frame with a hand-made header and body.
func rawFrame(apiKey: UInt16, version: UInt16 = 1, correlationId: UInt32, body: [UInt8] = []) -> [UInt8] {
    var buffer = ByteBuffer()
    buffer.writeInteger(UInt32(8 + body.count))
    buffer.writeInteger(apiKey)
    buffer.writeInteger(version)
    buffer.writeInteger(correlationId)
    buffer.writeBytes(body)
    return Array(buffer.readableBytesView)
}

/// The handshake frame a client sends first.
func handshakeFrame() -> ByteBuffer {
    AdminFrame.encodeRequest(
        .apiVersions(ApiVersionsRequest(clientName: "raw", clientVersion: "0", authToken: nil)), version: 1,
        correlationId: 1)
}

func responseHeader(_ payload: [UInt8]?) throws -> ResponseHeader {
    var buffer = ByteBuffer(bytes: try #require(payload))
    return try ResponseHeader(from: &buffer)
}

@Suite(.timeLimit(.minutes(2)))
struct HostileInputTests {
    /// A request before the handshake is answered with HANDSHAKE_REQUIRED and the connection closes.
    @Test func handshakeIsRequired() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let raw = try RawConnection(port: broker.port)
        raw.send(rawFrame(apiKey: ApiKey.listTopics.rawValue, correlationId: 9, body: [0]))
        let header = try responseHeader(await raw.readFrame())
        #expect(header.correlationId == 9)
        #expect(header.errorCode == AdminErrorCode.handshakeRequired.rawValue)
        #expect(header.errorMessage.contains("ApiVersions"))
        #expect(await raw.readFrame() == nil)  // closed
        try await broker.stop()
    }

    /// Unknown API keys, unsupported versions and malformed bodies get coded answers; the
    /// connection stays open and still serves good requests.
    @Test func badRequestsKeepTheConnection() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let raw = try RawConnection(port: broker.port)
        raw.send(handshakeFrame())
        #expect(try responseHeader(await raw.readFrame()).errorCode == 0)
        raw.send(rawFrame(apiKey: 999, correlationId: 2))
        #expect(try responseHeader(await raw.readFrame()).errorCode == AdminErrorCode.unknownApi.rawValue)
        raw.send(rawFrame(apiKey: ApiKey.listTopics.rawValue, version: 7, correlationId: 3, body: [0]))
        #expect(try responseHeader(await raw.readFrame()).errorCode == AdminErrorCode.unsupportedVersion.rawValue)
        // CreateTopic whose name length runs past the end of the frame.
        raw.send(rawFrame(apiKey: ApiKey.createTopic.rawValue, correlationId: 4, body: [0xff, 0xff, 0x41]))
        let malformed = try responseHeader(await raw.readFrame())
        #expect(malformed.correlationId == 4)
        #expect(malformed.errorCode == AdminErrorCode.malformedRequest.rawValue)
        // Bool byte 2 is malformed too.
        raw.send(rawFrame(apiKey: ApiKey.listTopics.rawValue, correlationId: 5, body: [2]))
        #expect(try responseHeader(await raw.readFrame()).errorCode == AdminErrorCode.malformedRequest.rawValue)
        // Trailing bytes.
        raw.send(rawFrame(apiKey: ApiKey.listTopics.rawValue, correlationId: 6, body: [0, 0]))
        #expect(try responseHeader(await raw.readFrame()).errorCode == AdminErrorCode.malformedRequest.rawValue)
        // And a good one afterwards.
        raw.send(rawFrame(apiKey: ApiKey.listTopics.rawValue, correlationId: 7, body: [1]))
        let ok = try responseHeader(await raw.readFrame())
        #expect(ok.correlationId == 7 && ok.errorCode == 0)
        try await broker.stop()
    }

    /// An oversized length prefix is refused with FRAME_TOO_LARGE, that one connection closes,
    /// nothing is allocated for it, and other clients are not affected.
    @Test func oversizedFrameClosesOnlyThatConnection() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let good = broker.client()
        try await good.createTopic("t", partitions: 1)
        let raw = try RawConnection(port: broker.port)
        raw.send(handshakeFrame())
        _ = await raw.readFrame()
        raw.send([0xff, 0xff, 0xff, 0xf0, 0, 1])  // claims ~4 GiB
        let header = try responseHeader(await raw.readFrame())
        #expect(header.errorCode == AdminErrorCode.frameTooLarge.rawValue)
        #expect(await raw.readFrame() == nil)
        // A length below the minimum is also unrecoverable.
        let raw2 = try RawConnection(port: broker.port)
        raw2.send([0, 0, 0, 3, 1, 2, 3])
        #expect(try responseHeader(await raw2.readFrame()).errorCode == AdminErrorCode.malformedRequest.rawValue)
        #expect(await raw2.readFrame() == nil)
        #expect(try await good.listTopics().map(\.name) == ["t"])
        await good.close()
        try await broker.stop()
    }

    /// Thousands of random and mutated frames never crash the server or disturb another client,
    /// and stored data stays intact.
    @Test func fuzzLiveServer() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let good = broker.client()
        try await good.createTopic("keep", partitions: 2)
        _ = try await good.produce(
            topic: "keep",
            records: [ProduceRecord(partition: 0, key: bytes("k"), value: bytes("v"), headers: [], timestampMs: -1)])
        var rng = SystemRandomNumberGenerator()
        let valid: [ByteBuffer] = [
            AdminFrame.encodeRequest(
                .listTopics(ListTopicsRequest(includeInternal: true)), version: 1, correlationId: 5),
            AdminFrame.encodeRequest(
                .produce(
                    ProduceRequest(
                        topic: "keep",
                        records: [
                            ProduceRecord(partition: 1, key: nil, value: bytes("fuzz"), headers: [], timestampMs: -1)
                        ])),
                version: 1, correlationId: 6),
            AdminFrame.encodeRequest(
                .fetch(FetchRequest(topic: "keep", partition: 0, start: .earliest, maxRecords: 10, maxBytes: 1000)),
                version: 1, correlationId: 7),
            AdminFrame.encodeRequest(.describeGroup(DescribeGroupRequest(groupId: "g")), version: 1, correlationId: 8),
        ]
        for round in 0..<300 {
            let raw = try RawConnection(port: broker.port)
            if round % 3 != 0 {
                raw.send(handshakeFrame())
                _ = await raw.readFrame()
            }
            for _ in 0..<10 {
                var frame = Array(valid.randomElement(using: &rng)!.readableBytesView)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:  // flip bits in the payload, keep the length
                    for _ in 0..<Int.random(in: 1...4, using: &rng) {
                        let i = Int.random(in: 4..<frame.count, using: &rng)
                        frame[i] ^= UInt8.random(in: 1...255, using: &rng)
                    }
                case 1:  // random body after a real header
                    let body = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in
                        UInt8.random(in: 0...255, using: &rng)
                    }
                    frame = rawFrame(apiKey: UInt16.random(in: 0...22, using: &rng), correlationId: 11, body: body)
                case 2:  // truncated (the server waits for the rest; the next frame completes it oddly)
                    frame = Array(frame.prefix(Int.random(in: 1..<frame.count, using: &rng)))
                default:  // garbage length prefix
                    frame = (0..<Int.random(in: 1..<32, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng)
                    }
                }
                raw.send(frame)
            }
        }
        // The server still serves, the good client still works, and the data is intact.
        let fetched = try await good.fetch(topic: "keep", partition: 0, from: .earliest)
        #expect(fetched.records.first?.value == bytes("v"))
        #expect(try await good.listTopics().map(\.name) == ["keep"])
        let other = broker.client()
        #expect(try await other.describeTopic("keep").partitions.count == 2)
        await other.close()
        await good.close()
        try await broker.stop()
    }

    /// A client that never reads its responses (or a live tail) cannot make the broker buffer
    /// without bound, and other clients keep being served promptly.
    @Test func clientThatNeverReadsDoesNotBlockOthers() async throws {
        let broker = try await TestBroker()
        defer { broker.removeData() }
        let good = broker.client()
        try await good.createTopic("big", partitions: 1)
        let value = [UInt8](repeating: 0x61, count: 10_000)
        for _ in 0..<20 {
            _ = try await good.produce(
                topic: "big",
                records: (0..<100).map { _ in
                    ProduceRecord(partition: 0, key: nil, value: value, headers: [], timestampMs: -1)
                })
        }
        // 20 MB in the partition. The stuck client asks for it again and again without reading.
        let stuck = try RawConnection(port: broker.port)
        stuck.send(handshakeFrame())
        _ = await stuck.readFrame()
        let fetch = AdminFrame.encodeRequest(
            .fetch(FetchRequest(topic: "big", partition: 0, start: .earliest, maxRecords: 10_000, maxBytes: 4 << 20)),
            version: 1, correlationId: 3)
        for _ in 0..<200 { stuck.send(fetch) }
        // Meanwhile another client is served.
        for _ in 0..<20 {
            #expect(try await good.listTopics().map(\.name) == ["big"])
        }
        #expect(broker.server.connectionCount == 2)
        await good.close()
        try await broker.stop()
    }

    /// Connections beyond the limit are refused with a clear error; the others keep working.
    @Test func connectionLimit() async throws {
        let broker = try await TestBroker { $0.maxConnections = 3 }
        defer { broker.removeData() }
        let clients = (0..<3).map { broker.client(name: "c\($0)") }
        for c in clients { _ = try await c.listTopics() }
        let extra = broker.client(name: "extra")
        do {
            _ = try await extra.listTopics()
            Issue.record("expected the fourth connection to be refused")
        } catch {
            #expect(error.description.contains("limit of 3 connections"), "\(error)")
        }
        for c in clients { _ = try await c.listTopics() }
        for c in clients { await c.close() }
        await extra.close()
        try await broker.stop()
    }
}
