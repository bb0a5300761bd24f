import AdminProtocol
import NIOCore
import Testing

/// Frames checked byte by byte against `docs/admin-protocol.md`.
struct WireBytesTests {
    /// The handshake request is: length, apiKey 0, version 1, correlation id, two strings, absent token.
    @Test func apiVersionsRequestBytes() {
        let frame = AdminFrame.encodeRequest(
            .apiVersions(ApiVersionsRequest(clientName: "skiff-cli", clientVersion: "0.1.0", authToken: nil)),
            version: 1, correlationId: 1)
        let expected: [UInt8] =
            [0x00, 0x00, 0x00, 0x1B]  // length 27 = 8 header + 11 + 7 + 1
            + [0x00, 0x00]  // apiKey 0 (ApiVersions)
            + [0x00, 0x01]  // apiVersion 1
            + [0x00, 0x00, 0x00, 0x01]  // correlationId 1
            + [0x00, 0x09] + Array("skiff-cli".utf8)  // clientName
            + [0x00, 0x05] + Array("0.1.0".utf8)  // clientVersion
            + [0x00]  // authToken absent
        #expect(frame.bytes == expected)
    }

    /// A present optional is the byte 1 followed by the value.
    @Test func apiVersionsRequestWithTokenBytes() {
        let request = AdminRequest.apiVersions(ApiVersionsRequest(clientName: "a", clientVersion: "b", authToken: "t"))
        #expect(bodyBytes(request) == [0x00, 0x01, 0x61, 0x00, 0x01, 0x62, 0x01, 0x00, 0x01, 0x74])
    }

    /// The handshake response ends with the connection's role: 0 = admin, 1 = read-only.
    @Test func apiVersionsResponseRoleBytes() {
        let apis = [ApiVersionRange(apiKey: 0, minVersion: 1, maxVersion: 1)]
        let prefix: [UInt8] =
            [0x00, 0x01, 0x76]  // brokerVersion "v"
            + [0x00, 0x00, 0x04, 0x00]  // maxFrameBytes 1024
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]  // apis: one range
        for (role, byte) in [(AdminRole.admin, UInt8(0)), (.readOnly, 1)] {
            let response = ApiVersionsResponse(brokerVersion: "v", maxFrameBytes: 1024, apis: apis, role: role)
            #expect(bodyBytes(.apiVersions(response)) == prefix + [byte])
        }
    }

    /// DeleteRecords (section 4.22): the topic, then (partition, offset) pairs; the response holds per
    /// partition the low watermark, an error code and its message.
    @Test func deleteRecordsBytes() {
        let request = AdminRequest.deleteRecords(
            DeleteRecordsRequest(topic: "t", partitions: [DeleteRecordsPartition(partition: 1, offset: -1)]))
        let expectedRequest: [UInt8] =
            [0x00, 0x01, 0x74]  // topic "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x01]  // partition 1
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // offset -1 (the high watermark)
        #expect(bodyBytes(request) == expectedRequest)
        let response = AdminResponse.deleteRecords(
            DeleteRecordsResponse(partitions: [
                DeleteRecordsResult(partition: 1, lowWatermark: 5),
                DeleteRecordsResult(partition: 2, error: .offsetOutOfRange, message: "x"),
            ]))
        let expectedResponse: [UInt8] =
            [0x00, 0x00, 0x00, 0x02]  // partitions: count 2
            + [0x00, 0x00, 0x00, 0x01] + [0, 0, 0, 0, 0, 0, 0, 5] + [0x00, 0x00] + [0x00, 0x00]  // 1: low 5, NONE, ""
            + [0x00, 0x00, 0x00, 0x02] + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // 2: low -1
            + [0x00, 0x01] + [0x00, 0x01, 0x78]  // OFFSET_OUT_OF_RANGE, "x"
        #expect(bodyBytes(response) == expectedResponse)
    }

    /// A Produce request with one record: fields in the order of section 4.9, nullable bytes with int32 lengths.
    @Test func produceRequestBytes() {
        let record = ProduceRecord(
            partition: -1, key: Array("k".utf8), value: nil,
            headers: [HeaderData(key: "h", value: [0xAB])], timestampMs: 1_700_000_000_000)
        let frame = AdminFrame.encodeRequest(
            .produce(ProduceRequest(topic: "t", records: [record])), version: 1, correlationId: 0x0102_0304)
        let expected: [UInt8] =
            [0x00, 0x00, 0x00, 0x30]  // length 48
            + [0x00, 0x08]  // apiKey 8 (Produce)
            + [0x00, 0x01]  // apiVersion 1
            + [0x01, 0x02, 0x03, 0x04]  // correlationId
            + [0x00, 0x01, 0x74]  // topic "t"
            + [0x00, 0x00, 0x00, 0x01]  // records: count 1
            + [0xFF, 0xFF, 0xFF, 0xFF]  // partition -1
            + [0x00, 0x00, 0x00, 0x01, 0x6B]  // key "k"
            + [0xFF, 0xFF, 0xFF, 0xFF]  // value null
            + [0x00, 0x00, 0x00, 0x01]  // headers: count 1
            + [0x00, 0x01, 0x68]  // header key "h"
            + [0x00, 0x00, 0x00, 0x01, 0xAB]  // header value
            + [0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x00]  // timestampMs 1,700,000,000,000
        #expect(frame.bytes == expected)
    }

    /// An error response: correlation id, kind 0, int16 error code, the message, and no body.
    @Test func errorResponseBytes() {
        let frame = AdminFrame.encodeResponse(
            correlationId: 7, error: (.unknownTopicOrPartition, "no"),
            body: .fetch(
                FetchResponse(
                    logStartOffset: 0, highWatermark: 0, records: [])))
        let expected: [UInt8] =
            [0x00, 0x00, 0x00, 0x0B]  // length 11
            + [0x00, 0x00, 0x00, 0x07]  // correlationId 7
            + [0x00]  // kind 0 = response
            + [0x00, 0x03]  // errorCode 3 UNKNOWN_TOPIC_OR_PARTITION
            + [0x00, 0x02, 0x6E, 0x6F]  // errorMessage "no"
        #expect(frame.bytes == expected)
    }

    /// A negative error code is two's complement: UNKNOWN_SERVER_ERROR (-1) is 0xFFFF.
    @Test func negativeErrorCodeBytes() {
        let frame = AdminFrame.encodeResponse(correlationId: 0, error: (.unknownServerError, ""), body: nil)
        #expect(frame.bytes == [0, 0, 0, 9, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0])
    }

    /// A success response: error code 0, empty message, then the body (a SubscribeResponse).
    @Test func subscribeResponseBytes() {
        let frame = AdminFrame.encodeResponse(
            correlationId: 5, error: nil, body: .subscribe(SubscribeResponse(subscriptionId: 5)))
        #expect(frame.bytes == [0, 0, 0, 13, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 5])
    }

    /// A push frame: the subscription id as correlation id, kind 1, error 0, then eventKind 2 and the reason.
    @Test func endedPushBytes() {
        let frame = AdminFrame.encodePush(subscriptionId: 3, event: .ended(reason: "bye"))
        let expected: [UInt8] =
            [0x00, 0x00, 0x00, 0x0F]  // length 15
            + [0x00, 0x00, 0x00, 0x03]  // subscription id
            + [0x01]  // kind 1 = push
            + [0x00, 0x00]  // errorCode 0
            + [0x00, 0x00]  // errorMessage ""
            + [0x02]  // eventKind 2 = ended
            + [0x00, 0x03] + Array("bye".utf8)
        #expect(frame.bytes == expected)
    }

    /// A Fetch request carries its start as the uint8 kind then the int64 value (4 = last N).
    @Test func fetchRequestBytes() {
        let request = AdminRequest.fetch(
            FetchRequest(topic: "t", partition: 2, start: .lastN(10), maxRecords: 100, maxBytes: 65_536))
        let expected: [UInt8] =
            [0x00, 0x01, 0x74]  // topic
            + [0, 0, 0, 2]  // partition
            + [4]  // startKind 4 = last N
            + [0, 0, 0, 0, 0, 0, 0, 10]  // startValue
            + [0, 0, 0, 100]  // maxRecords
            + [0, 1, 0, 0]  // maxBytes
        #expect(bodyBytes(request) == expected)
    }

    /// float64 is the IEEE 754 bit pattern, big-endian (ClusterInfo's rates).
    @Test func float64Bytes() throws {
        let response = try #require(Samples.responses.first { $0.apiKey == .clusterInfo })
        let body = bodyBytes(response)
        // The last 16 bytes are produceRate 0.0 and fetchRate -0.0.
        #expect(Array(body.suffix(16)) == [0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0])
    }
}
