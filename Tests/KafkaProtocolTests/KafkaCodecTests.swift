import Foundation
import KafkaProtocol
import NIOCore
import Testing

/// The repository root, found from this file's path.
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

private let capturedDirectory = repositoryRoot.appendingPathComponent("Tests/KafkaProtocolTests/Captured")

private func capturedFrames() throws -> [(name: String, bytes: [UInt8])] {
    try FileManager.default.contentsOfDirectory(atPath: capturedDirectory.path).filter { $0.hasSuffix(".bin") }.sorted()
        .map { ($0, Array(try Data(contentsOf: capturedDirectory.appendingPathComponent($0)))) }
}

@Suite("Kafka codec")
struct KafkaCodecTests {
    /// Every request frame captured from kcat, confluent-kafka, kafka-python and aiokafka decodes
    /// whole and re-encodes to the same bytes.
    @Test func capturedClientRequestsRoundTrip() throws {
        let frames = try capturedFrames()
        #expect(frames.count >= 30)
        var apis = Set<Int16>()
        for (name, bytes) in frames {
            let (header, body) = try KafkaRequestFrame.decode(ByteBuffer(bytes: bytes))
            apis.insert(header.requestApiKey)
            #expect(
                Int16(name.split(separator: "-v").last!.prefix { $0.isNumber }) == header.requestApiVersion, "\(name)")
            let again = try KafkaRequestFrame.encode(header: header, body: body)
            #expect(Array(again.readableBytesView) == bytes, "\(name) changed when re-encoded")
        }
        // Produce, Fetch, ListOffsets, Metadata, ApiVersions, CreateTopics, DeleteTopics, DescribeConfigs.
        #expect(apis.isSuperset(of: [0, 1, 2, 3, 18, 19, 20, 32]))
    }

    /// A captured Produce carries its client's record batch untouched, as a slice of the frame.
    @Test func produceRecordsStayRaw() throws {
        let (name, bytes) = try #require(try capturedFrames().first { $0.name.hasPrefix("kcat-Produce") })
        let (_, body) = try KafkaRequestFrame.decode(ByteBuffer(bytes: bytes))
        let produce = try #require(body as? ProduceRequest, "\(name)")
        let records = try #require(produce.topicData.first?.partitionData.first?.records)
        // A magic-2 record batch: base offset (8), length (4), leader epoch (4), magic 2.
        #expect(records.getInteger(at: records.readerIndex + 16, as: UInt8.self) == 2)
        #expect(Int(records.getInteger(at: records.readerIndex + 8, as: Int32.self)!) + 12 == records.readableBytes)
    }

    /// Every message at every version writes its defaults and reads them back equal.
    @Test func defaultsRoundTripInEveryVersion() throws {
        var checked = 0
        for type in kafkaMessageTypes {
            for version in type.validVersions {
                try roundTrip(type, version: version)
                checked += 1
            }
        }
        #expect(checked > 500)
    }

    private func roundTrip<M: KafkaMessage>(_ type: M.Type, version: Int16) throws {
        let message = M()
        var buffer = ByteBuffer()
        try message.write(into: &buffer, version: version)
        let decoded = try M(from: &buffer, version: version)
        #expect(decoded == message, "\(M.self) v\(version)")
        #expect(buffer.readableBytes == 0, "\(M.self) v\(version) left bytes")
    }

    /// The byte layouts of Kafka's protocol guide: a classic string (int16 length), a compact one
    /// (unsigned varint length + 1), a null compact string (0) and the empty tagged-field section.
    @Test func headerLayouts() throws {
        var header = RequestHeader()
        header.requestApiKey = 3
        header.requestApiVersion = 12
        header.correlationId = 7
        header.clientId = "ab"
        var v1 = ByteBuffer()
        try header.write(into: &v1, version: 1)
        #expect(Array(v1.readableBytesView) == [0, 3, 0, 12, 0, 0, 0, 7, 0, 2, 0x61, 0x62])
        // Header v2 keeps ClientId a classic string (its field-level flexibleVersions is none).
        var v2 = ByteBuffer()
        try header.write(into: &v2, version: 2)
        #expect(Array(v2.readableBytesView) == [0, 3, 0, 12, 0, 0, 0, 7, 0, 2, 0x61, 0x62, 0])
        var topic = MetadataRequest.MetadataRequestTopic()
        topic.name = nil
        var compact = ByteBuffer()
        try topic.write(into: &compact, version: 12)
        #expect(Array(compact.readableBytesView) == Array(repeating: 0, count: 16) + [0, 0])
        topic.name = "t"
        compact.clear()
        try topic.write(into: &compact, version: 12)
        #expect(Array(compact.readableBytesView) == Array(repeating: 0, count: 16) + [2, 0x74, 0])
    }

    /// Tagged fields the codec does not know are kept and written back; known ones are read.
    @Test func taggedFieldsKept() throws {
        // ApiVersionsRequest v3: compact client software name and version, then 2 tagged fields.
        let bytes: [UInt8] = [2, 0x61, 2, 0x31, 2, 0x05, 1, 0xAA, 0x09, 2, 0xBB, 0xCC]
        var buffer = ByteBuffer(bytes: bytes)
        let request = try ApiVersionsRequest(from: &buffer, version: 3)
        #expect(request.clientSoftwareName == "a")
        #expect(
            request.unknownTaggedFields == [
                KafkaTaggedField(tag: 5, data: [0xAA]), KafkaTaggedField(tag: 9, data: [0xBB, 0xCC]),
            ])
        var out = ByteBuffer()
        try request.write(into: &out, version: 3)
        #expect(Array(out.readableBytesView) == bytes)
    }

    /// A value in a field the chosen version lacks is an error unless the field is ignorable.
    @Test func nonIgnorableFieldsRefuseOldVersions() throws {
        var partition = FetchRequest.FetchPartition()
        partition.lastFetchedEpoch = 4  // versions 12+, not ignorable
        var buffer = ByteBuffer()
        #expect(throws: KafkaCodecError.self) { try partition.write(into: &buffer, version: 11) }
        partition.lastFetchedEpoch = -1
        partition.currentLeaderEpoch = 3  // versions 9+, ignorable: dropped in v8
        buffer.clear()
        try partition.write(into: &buffer, version: 8)
        let read = try FetchRequest.FetchPartition(from: &buffer, version: 8)
        #expect(read.currentLeaderEpoch == -1)
    }

    /// Hostile lengths are refused before anything is allocated, with the field named.
    @Test func hostileLengthsAreRefused() {
        // Metadata v12 topics: a compact array claiming 2^28 elements in a 6-byte frame.
        var buffer = ByteBuffer(bytes: [0x80, 0x80, 0x80, 0x80, 0x01, 0])
        #expect {
            _ = try MetadataRequest(from: &buffer, version: 12)
        } throws: { error in
            "\(error)".contains("MetadataRequest.Topics")
        }
        var truncated = ByteBuffer(bytes: [0, 3])
        #expect(throws: KafkaCodecError.self) { _ = try KafkaRequestFrame.decode(truncated) }
        truncated.clear()
    }

    /// Kafka's text form of a UUID is URL-safe base64 without padding.
    @Test func uuidText() {
        let id = KafkaUUID(bytes: (0..<16).map { UInt8($0) })!
        #expect(id.description == "AAECAwQFBgcICQoLDA0ODw")
        #expect(KafkaUUID.zero.description == "AAAAAAAAAAAAAAAAAAAAAA")
    }
}

/// The committed generated code is what scripts/kafka-codegen makes of the message definitions.
@Suite("Kafka codec generation")
struct KafkaCodegenTests {
    static let definitions = repositoryRoot.appendingPathComponent("../shared/kafka-messages").standardized

    @Test(.enabled(if: FileManager.default.fileExists(atPath: definitions.path), "no ../shared/kafka-messages here"))
    func generatedCodeIsCurrent() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-codegen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", repositoryRoot.appendingPathComponent("scripts/kafka-codegen").path, "--messages",
            Self.definitions.path, "--out", out.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let committed = repositoryRoot.appendingPathComponent("Sources/KafkaProtocol/Generated")
        let fm = FileManager.default
        let fresh = try fm.contentsOfDirectory(atPath: out.path).sorted()
        #expect(try fm.contentsOfDirectory(atPath: committed.path).sorted() == fresh)
        for name in fresh {
            let a = try Data(contentsOf: out.appendingPathComponent(name))
            let b = try Data(contentsOf: committed.appendingPathComponent(name))
            #expect(a == b, "Sources/KafkaProtocol/Generated/\(name) is stale: run scripts/kafka-codegen")
        }
    }
}
