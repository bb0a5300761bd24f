import NIOCore
import Testing

@testable import AdminProtocol

/// The one-pass readers and writers (RawCodec.swift, used by Produce, Fetch and Subscribe) put and
/// take exactly the bytes of the field-by-field codec, for every record shape.
struct RawCodecTests {
    /// Records of every shape: null and empty keys and values, large values, extreme partitions and
    /// timestamps, with and without headers.
    static func records(withHeaders: Bool) -> [ProduceRecord] {
        var generator = SeededRandom(seed: 11)
        return (0..<500).map { index in
            let pick = Int(generator.next() % 5)
            let key: [UInt8]? =
                pick == 0 ? nil : pick == 1 ? [] : (0..<pick).map { UInt8(truncatingIfNeeded: $0 + index) }
            let value: [UInt8]? =
                pick == 2 ? nil : [UInt8](repeating: UInt8(index & 0xFF), count: Int(generator.next() % 300))
            let headers = withHeaders && index % 7 == 0 ? [HeaderData(key: "h\(index)", value: [1, 2])] : []
            return ProduceRecord(
                partition: index % 3 == 0 ? -1 : Int32(truncatingIfNeeded: generator.next()), key: key, value: value,
                headers: headers, timestampMs: index % 4 == 0 ? -1 : Int64(bitPattern: generator.next()))
        }
    }

    /// The request body written field by field: topic, count, then each record's own encoder.
    static func fieldByField(_ request: ProduceRequest) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeWireString(request.topic)
        buffer.writeWireArray(request.records)
        return buffer
    }

    @Test(arguments: [false, true])
    func requestBytesAndDecodingMatchTheFieldByFieldCodec(withHeaders: Bool) throws {
        let request = ProduceRequest(topic: "orders", records: Self.records(withHeaders: withHeaders))
        var fast = ByteBuffer()
        request.encode(into: &fast)
        let slow = Self.fieldByField(request)
        #expect(fast == slow)
        #expect(try ProduceRequest(from: &fast) == request)
        #expect(fast.readableBytes == 0)
        var slowCopy = slow
        var generic: [ProduceRecord] = []
        _ = try slowCopy.readWireString("topic")
        generic = try slowCopy.readWireArray("records")
        #expect(generic == request.records)
    }

    @Test func responseBytesAndDecodingMatchTheFieldByFieldCodec() throws {
        var generator = SeededRandom(seed: 3)
        let response = ProduceResponse(
            results: (0..<1_000).map { _ in
                ProducedOffset(
                    partition: Int32(truncatingIfNeeded: generator.next()), offset: Int64(bitPattern: generator.next()),
                    timestampMs: Int64(bitPattern: generator.next()))
            })
        var fast = ByteBuffer()
        response.encode(into: &fast)
        var slow = ByteBuffer()
        slow.writeWireArray(response.results)
        #expect(fast == slow)
        #expect(try ProduceResponse(from: &fast) == response)
        #expect(fast.readableBytes == 0)
    }

    /// A record the one-pass reader declines (a bad length) is read by the field reader, which names
    /// the record and field; records before it were read by the one-pass reader.
    @Test func aBadRecordAfterGoodOnesIsReportedByIndex() {
        var good = ProduceRequest(topic: "t", records: Self.records(withHeaders: false).prefix(3).map { $0 })
        good.records.append(ProduceRecord(key: nil, value: nil))
        var body = ByteBuffer()
        good.encode(into: &body)
        // The last record's value length (after partition and the null key) becomes -2.
        let lastValueLength = body.writerIndex - 8 - 4 - 4
        body.setInteger(Int32(-2), at: lastValueLength)
        do {
            _ = try ProduceRequest(from: &body)
            Issue.record("a value length of -2 was accepted")
        } catch {
            #expect("\(error)".contains("records[3].value"), "\(error)")
        }
    }

    /// Fetch responses and subscription record events, with and without headers.
    @Test(arguments: [false, true])
    func fetchedRecordsMatchTheFieldByFieldCodec(withHeaders: Bool) throws {
        let records = Self.records(withHeaders: withHeaders).enumerated().map { index, record in
            FetchedRecord(
                offset: Int64(index) * 3, timestampMs: record.timestampMs, key: record.key, value: record.value,
                headers: record.headers)
        }
        let response = FetchResponse(logStartOffset: 4, highWatermark: 2_000, records: records)
        var fast = ByteBuffer()
        response.encode(into: &fast)
        var slow = ByteBuffer()
        slow.writeInteger(Int64(4))
        slow.writeInteger(Int64(2_000))
        slow.writeWireArray(records)
        #expect(fast == slow)
        #expect(try FetchResponse(from: &fast) == response)
        #expect(fast.readableBytes == 0)
        let event = SubscriptionEvent.records(topic: "orders", partition: 2, highWatermark: 2_000, records: records)
        var eventBytes = ByteBuffer()
        event.encode(into: &eventBytes)
        #expect(try SubscriptionEvent(from: &eventBytes) == event)
    }
}
