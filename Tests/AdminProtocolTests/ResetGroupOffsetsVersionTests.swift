import AdminProtocol
import NIOCore
import Testing

/// ResetGroupOffsets v2 (section 4.13) appends `partitions` for resets of chosen partitions; v1
/// stays byte for byte what it was.
struct ResetGroupOffsetsVersionTests {
    static let scoped = ResetGroupOffsetsRequest(
        groupId: "g", topics: ["orders"],
        partitions: [
            TopicPartitionRef(topic: "prices", partition: 0), TopicPartitionRef(topic: "prices", partition: 3),
        ],
        target: .shift(-5), dryRun: true)

    static func body(_ request: ResetGroupOffsetsRequest, version: UInt16) -> [UInt8] {
        var buffer = ByteBuffer()
        AdminRequest.resetGroupOffsets(request).encode(into: &buffer, version: version)
        return buffer.bytes
    }

    static func decode(_ bytes: [UInt8], version: UInt16) throws(AdminProtocolError) -> AdminRequest {
        var body = buffer(bytes)
        return try AdminRequest.decode(
            header: RequestHeader(api: .resetGroupOffsets, apiVersion: version, correlationId: 0), body: &body)
    }

    /// A v1 body is the fields of version 1 only, exactly as before v2 existed.
    @Test func version1BytesAreUnchanged() {
        let request = ResetGroupOffsetsRequest(groupId: "g", topics: ["t"], target: .offset(7), dryRun: false)
        let v1: [UInt8] =
            [0x00, 0x01, 0x67]  // groupId "g"
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x74]  // topics ["t"]
            + [0x02] + be(Int64(7))  // targetKind offset, targetValue 7
            + [0x00]  // dryRun false
        #expect(Self.body(request, version: 1) == v1)
        // v2 appends the (here empty) partitions array.
        #expect(Self.body(request, version: 2) == v1 + [0x00, 0x00, 0x00, 0x00])
        #expect(request.minimumVersion == 1)
    }

    /// v2 carries the partitions both ways.
    @Test func version2RoundTrip() throws {
        let bytes = Self.body(Self.scoped, version: 2)
        #expect(try Self.decode(bytes, version: 2) == .resetGroupOffsets(Self.scoped))
        #expect(Self.scoped.minimumVersion == 2)
        #expect(AdminRequest.resetGroupOffsets(Self.scoped).minimumVersion == 2)
        // A whole frame at v2 decodes to the same request.
        var payload = payload(
            ofFrame: AdminFrame.encodeRequest(.resetGroupOffsets(Self.scoped), version: 2, correlationId: 5))
        let (header, request) = try AdminFrame.decodeRequest(payload: &payload)
        #expect(header.apiVersion == 2)
        #expect(request == .resetGroupOffsets(Self.scoped))
    }

    /// A v1 reader never mistakes a request with partitions for a reset of whole topics: the
    /// partitions are written even at v1, and a v1 reader refuses the bytes left over.
    @Test func version1ReaderRefusesPartitions() {
        let bytes = Self.body(Self.scoped, version: 1)
        #expect(bytes == Self.body(Self.scoped, version: 2))
        #expect(throws: AdminProtocolError.self) { try Self.decode(bytes, version: 1) }
    }

    /// A v2 body cut short (inside the partitions) is malformed, not a shorter request.
    @Test func truncatedVersion2() {
        let bytes = Self.body(Self.scoped, version: 2)
        for cut in 0..<bytes.count {
            #expect(throws: AdminProtocolError.self, "cut at \(cut)") {
                try Self.decode(Array(bytes[..<cut]), version: 2)
            }
        }
    }

    /// Version 3 does not exist yet.
    @Test func version3IsUnsupported() {
        #expect(throws: AdminProtocolError.unsupportedVersion(apiKey: .resetGroupOffsets, version: 3)) {
            try Self.decode(Self.body(Self.scoped, version: 2), version: 3)
        }
    }
}
