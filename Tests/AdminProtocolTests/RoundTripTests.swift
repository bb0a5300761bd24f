import AdminProtocol
import NIOCore
import Testing

struct RoundTripTests {
    /// Every request survives encodeRequest → frame decoder → decodeRequest unchanged, header included.
    @Test(arguments: Samples.requests)
    func requestRoundTrip(request: AdminRequest) throws {
        var decoder = AdminFrameDecoder()
        let frames = try decoder.feed(AdminFrame.encodeRequest(request, version: 1, correlationId: 0xDEAD_BEEF))
        #expect(frames.count == 1)
        var payload = try #require(frames.first)
        let (header, decoded) = try AdminFrame.decodeRequest(payload: &payload)
        #expect(header == RequestHeader(api: request.apiKey, apiVersion: 1, correlationId: 0xDEAD_BEEF))
        #expect(decoded == request)
        #expect(payload.readableBytes == 0)
        #expect(decoder.bufferedBytes == 0)
    }

    /// Every success response survives encodeResponse → frame decoder → decodeResponse unchanged.
    @Test(arguments: Samples.responses)
    func responseRoundTrip(response: AdminResponse) throws {
        var decoder = AdminFrameDecoder()
        let frames = try decoder.feed(AdminFrame.encodeResponse(correlationId: UInt32.max, error: nil, body: response))
        #expect(frames.count == 1)
        var payload = try #require(frames.first)
        let (header, body) = try AdminFrame.decodeResponse(payload: &payload, expecting: response.apiKey)
        #expect(header == ResponseHeader(correlationId: UInt32.max, kind: .response, errorCode: 0, errorMessage: ""))
        #expect(header.isSuccess)
        #expect(body == response)
    }

    /// Every subscription event survives encodePush → frame decoder → decodePush unchanged.
    @Test(arguments: Samples.events)
    func pushRoundTrip(event: SubscriptionEvent) throws {
        var decoder = AdminFrameDecoder()
        let frames = try decoder.feed(AdminFrame.encodePush(subscriptionId: 77, event: event))
        var payload = try #require(frames.first)
        #expect(try AdminFrame.peekResponseHeader(payload: payload).kind == .push)
        let (subscriptionId, decoded) = try AdminFrame.decodePush(payload: &payload)
        #expect(subscriptionId == 77)
        #expect(decoded == event)
    }

    /// Each message type's own encode(into:)/init(from:) pair is the identity on its body bytes.
    @Test(arguments: Samples.requests)
    func requestBodyIsStable(request: AdminRequest) throws {
        var body = buffer(bodyBytes(request))
        let header = RequestHeader(api: request.apiKey, apiVersion: 1, correlationId: 1)
        let decoded = try AdminRequest.decode(header: header, body: &body)
        #expect(bodyBytes(decoded) == bodyBytes(request))
    }

    /// Every error code travels in a response header with its message and no body.
    @Test(arguments: AdminErrorCode.allCases.filter { $0 != .none })
    func errorResponseRoundTrip(code: AdminErrorCode) throws {
        let frame = AdminFrame.encodeResponse(
            correlationId: 9, error: (code, "topic 'ørders' has no partition 7"),
            body: .deleteTopic(DeleteTopicResponse()))
        var payload = payload(ofFrame: frame)
        let (header, body) = try AdminFrame.decodeResponse(payload: &payload, expecting: .deleteTopic)
        #expect(body == nil)
        #expect(header.knownErrorCode == code)
        #expect(header.errorCode == code.rawValue)
        #expect(header.errorMessage == "topic 'ørders' has no partition 7")
        #expect(!header.isSuccess)
    }

    /// An error whose code is NONE is written as a success, body included.
    @Test func noneErrorIsSuccess() throws {
        let frame = AdminFrame.encodeResponse(
            correlationId: 1, error: (.none, "ignored"), body: .createTopic(CreateTopicResponse(topicId: "x")))
        var payload = payload(ofFrame: frame)
        let (header, body) = try AdminFrame.decodeResponse(payload: &payload, expecting: .createTopic)
        #expect(header.errorMessage == "")
        #expect(body == .createTopic(CreateTopicResponse(topicId: "x")))
    }

    /// The samples cover every API at least twice, for requests and for responses.
    @Test func samplesCoverEveryApi() {
        for api in ApiKey.allCases {
            #expect(Samples.requests.filter { $0.apiKey == api }.count >= 2, "requests of \(api)")
            #expect(Samples.responses.filter { $0.apiKey == api }.count >= 2, "responses of \(api)")
        }
    }

    /// The broker's ApiVersions answer lists all 22 APIs with this codec's version ranges.
    @Test func supportedRanges() {
        #expect(ApiKey.supportedRanges.map(\.apiKey) == Array(0...23))
        #expect(ApiKey.supportedRanges[8] == ApiVersionRange(apiKey: 8, minVersion: 1, maxVersion: 1))
    }

    /// A Produce request with the protocol's limit of 100,000 records round-trips through a frame.
    @Test func produceAtTheRecordLimit() throws {
        let records = (0..<100_000).map { index in
            ProduceRecord(
                partition: Int32(index % 7) - 1, key: index % 3 == 0 ? nil : [UInt8(index & 0xFF)],
                value: Array(repeating: UInt8(index & 0x7F), count: index % 40),
                headers: index % 1000 == 0 ? [HeaderData(key: "n", value: nil)] : [], timestampMs: Int64(index))
        }
        let request = AdminRequest.produce(ProduceRequest(topic: "bulk", records: records))
        let frame = requestFrame(request)
        #expect(frame.readableBytes - AdminFrame.lengthPrefixSize <= AdminFrame.defaultMaxFrameBytes)
        var payload = payload(ofFrame: frame)
        let (_, decoded) = try AdminFrame.decodeRequest(payload: &payload)
        #expect(decoded == request)
    }

    /// A string of exactly 65,535 UTF-8 bytes (the wire maximum) round-trips whole.
    @Test func longestStringRoundTrips() throws {
        #expect(Samples.longest.utf8.count == 65_535)
        let request = AdminRequest.describeTopic(DescribeTopicRequest(name: Samples.longest))
        var payload = payload(ofFrame: requestFrame(request))
        #expect(try AdminFrame.decodeRequest(payload: &payload).request == request)
    }

    /// Ignored start and target values (earliest/latest) are written as 0 and read back as the same case.
    @Test func ignoredKindValuesAreZero() throws {
        let fetch = AdminRequest.fetch(
            FetchRequest(topic: "t", partition: 0, start: .latest, maxRecords: 1, maxBytes: 1))
        // topic "t" (3 bytes), partition (4), then startKind and startValue
        #expect(Array(bodyBytes(fetch)[7..<16]) == [3, 0, 0, 0, 0, 0, 0, 0, 0])
        var body = buffer(Array(bodyBytes(fetch)[0..<8]) + be(Int64(12345)) + be(Int32(1)) + be(Int32(1)))
        let decoded = try AdminRequest.decode(
            header: RequestHeader(api: .fetch, apiVersion: 1, correlationId: 0), body: &body)
        #expect(decoded == fetch)
    }
}
