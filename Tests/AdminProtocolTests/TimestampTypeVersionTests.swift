import NIOCore
import Testing

@testable import AdminProtocol

/// Fetch, Subscribe and Search v2 (sections 4.10, 4.20, 4.24): each record carries its
/// `timestampType` (uint8, after `timestampMs`); version 1 stays byte for byte what it was.
struct TimestampTypeVersionTests {
    static let typed: [FetchedRecord] = [
        FetchedRecord(
            offset: 5, timestampMs: 7, key: nil, value: [0x41], headers: [], timestampType: .logAppendTime),
        FetchedRecord(
            offset: 6, timestampMs: 1_700_000_000_000, key: [1], value: nil,
            headers: [HeaderData(key: "h", value: [2])], timestampType: .createTime),
        FetchedRecord(offset: 7, timestampMs: -1, key: [], value: [], headers: [], timestampType: .createTime),
    ]

    static func fetchBody(_ records: [FetchedRecord], version: UInt16) -> [UInt8] {
        var buffer = ByteBuffer()
        AdminResponse.fetch(FetchResponse(logStartOffset: 1, highWatermark: 9, records: records))
            .encode(into: &buffer, version: version)
        return buffer.bytes
    }

    static func decodeFetch(_ bytes: [UInt8], version: UInt16) throws(AdminProtocolError) -> FetchResponse {
        var body = buffer(bytes)
        guard case .fetch(let response) = try AdminResponse.decode(apiKey: .fetch, version: version, body: &body)
        else { preconditionFailure("a Fetch body decodes to a Fetch response") }
        return response
    }

    /// The three APIs have versions 1 and 2; the others keep theirs.
    @Test func versions() {
        for api in [ApiKey.fetch, .subscribe, .search] { #expect(api.supportedVersions == 1...2) }
        #expect(ApiKey.produce.supportedVersions == 1...1)
        #expect(ApiKey.resetGroupOffsets.supportedVersions == 1...2)
        #expect(FetchedRecord.timestampTypeVersion == 2)
    }

    /// At version 1 a record has no type: the bytes are those of a record without one, and what is
    /// read back has a nil type.
    @Test func version1BytesAreUnchanged() throws {
        let untyped = Self.typed.map {
            FetchedRecord(
                offset: $0.offset, timestampMs: $0.timestampMs, key: $0.key, value: $0.value, headers: $0.headers)
        }
        let v1 = Self.fetchBody(Self.typed, version: 1)
        #expect(v1 == Self.fetchBody(untyped, version: 1))
        var versionless = ByteBuffer()
        FetchResponse(logStartOffset: 1, highWatermark: 9, records: Self.typed).encode(into: &versionless)
        #expect(versionless.bytes == v1)
        #expect(try Self.decodeFetch(v1, version: 1).records == untyped)
        #expect(try Self.decodeFetch(v1, version: 1).records.allSatisfy { $0.timestampType == nil })
    }

    /// The version 2 layout: `timestampType` right after `timestampMs`, in the one-pass writer (no
    /// headers) and the field-by-field one (headers) alike.
    @Test func version2WireLayout() {
        let first: [UInt8] = be(Int64(5)) + be(Int64(7)) + [1] + be(Int32(-1)) + be(Int32(1)) + [0x41] + be(UInt32(0))
        let second: [UInt8] =
            be(Int64(6)) + be(Int64(1_700_000_000_000)) + [0] + be(Int32(1)) + [1] + be(Int32(-1))
            + be(UInt32(1)) + [0x00, 0x01, 0x68] + be(Int32(1)) + [2]
        let third: [UInt8] = be(Int64(7)) + be(Int64(-1)) + [0] + be(Int32(0)) + be(Int32(0)) + be(UInt32(0))
        let header: [UInt8] = be(Int64(1)) + be(Int64(9))
        #expect(Self.fetchBody([Self.typed[0]], version: 2) == header + be(UInt32(1)) + first)
        #expect(Self.fetchBody([Self.typed[2]], version: 2) == header + be(UInt32(1)) + third)
        #expect(Self.fetchBody(Self.typed, version: 2) == header + be(UInt32(3)) + first + second + third)
        // A record without a type is written as CreateTime.
        var untyped = Self.typed[0]
        untyped.timestampType = nil
        var created = Self.typed[0]
        created.timestampType = .createTime
        #expect(Self.fetchBody([untyped], version: 2) == Self.fetchBody([created], version: 2))
    }

    /// Version 2 responses and pushes round-trip with their types, through whole frames.
    @Test func version2RoundTrip() throws {
        let response = AdminResponse.fetch(FetchResponse(logStartOffset: 1, highWatermark: 9, records: Self.typed))
        var frame = payload(
            ofFrame: AdminFrame.encodeResponse(correlationId: 3, error: nil, body: response, version: 2))
        #expect(try AdminFrame.decodeResponse(payload: &frame, expecting: .fetch, version: 2).body == response)

        let headerless = Self.typed.filter(\.headers.isEmpty)
        for records in [Self.typed, headerless] {
            let event = SubscriptionEvent.records(topic: "orders", partition: 1, highWatermark: 9, records: records)
            var push = payload(ofFrame: AdminFrame.encodePush(subscriptionId: 8, event: event, version: 2))
            let (id, decoded) = try AdminFrame.decodePush(payload: &push, version: 2)
            #expect(id == 8 && decoded == event)
        }
        // Other events, and the responses of the APIs whose version 2 changes nothing else, are
        // the same at both versions.
        for event in Samples.events where !{ if case .records = $0 { true } else { false } }(event) {
            var v1 = ByteBuffer()
            event.encode(into: &v1, version: 1)
            var v2 = ByteBuffer()
            event.encode(into: &v2, version: 2)
            #expect(v1 == v2)
        }
        // (ClusterInfo has a version 2 of its own, which adds a field.)
        for sample in Samples.responses where sample.apiKey != .fetch && sample.apiKey != .clusterInfo {
            var v1 = ByteBuffer()
            sample.encode(into: &v1, version: 1)
            var v2 = ByteBuffer()
            sample.encode(into: &v2, version: 2)
            #expect(v1 == v2, "\(sample.apiKey)")
            #expect(try AdminResponse.decode(apiKey: sample.apiKey, version: 2, body: &v2) == sample)
        }
    }

    /// A type byte other than 0 or 1 is malformed and named, whether the record has headers (field
    /// reader) or not (one-pass reader, which declines it).
    @Test(arguments: [0, 1])
    func unknownTypeIsMalformed(index: Int) {
        var bytes = Self.fetchBody(Self.typed, version: 2)
        // Header (16), count (4), then record 0 is 30 bytes; the type sits 16 bytes into a record.
        let typeAt = 20 + (index == 0 ? 0 : 30) + 16
        #expect(bytes[typeAt] == (index == 0 ? 1 : 0))
        bytes[typeAt] = 2
        do {
            _ = try Self.decodeFetch(bytes, version: 2)
            Issue.record("type 2 was accepted")
        } catch {
            #expect("\(error)".contains("records[\(index)].timestampType"), "\(error)")
            #expect("\(error)".contains("2 is not a timestamp type"), "\(error)")
        }
    }

    /// A version 2 body cut anywhere is malformed, never read short; a count the bytes cannot hold
    /// at 29 bytes a record is refused before anything is read.
    @Test func truncatedVersion2IsMalformed() throws {
        let bytes = Self.fetchBody(Self.typed, version: 2)
        for cut in 0..<bytes.count {
            #expect(throws: AdminProtocolError.self) { try Self.decodeFetch(Array(bytes[..<cut]), version: 2) }
        }
        // 20 bytes: room for 0 records of 29 bytes.
        let claim: [UInt8] = be(Int64(0)) + be(Int64(0)) + be(UInt32(1)) + [UInt8](repeating: 0, count: 28)
        #expect(throws: AdminProtocolError.self) { try Self.decodeFetch(claim, version: 2) }
        #expect(try Self.decodeFetch(claim, version: 1).records.count == 1)
    }

    /// Kafka's names, as `skiff consume --json` prints them.
    @Test func names() {
        #expect(RecordTimestampType.allCases.map(\.description) == ["CreateTime", "LogAppendTime"])
        #expect(RecordTimestampType.allCases.map(\.rawValue) == [0, 1])
    }
}
