import AdminProtocol
import NIOCore
import Testing

struct MalformedInputTests {
    static let truncationRequests: [AdminRequest] = Samples.requests.filter {
        [.apiVersions, .produce, .fetch, .resetGroupOffsets, .joinGroup, .commitOffsets, .subscribe, .createTopic]
            .contains($0.apiKey) && bodyBytes($0).count < 4096
    }
    static let truncationResponses: [AdminResponse] = Samples.responses.filter {
        [.apiVersions, .clusterInfo, .describeTopic, .fetch, .describeGroup, .heartbeat, .listTopics]
            .contains($0.apiKey) && bodyBytes($0).count < 4096
    }

    /// A request payload cut at any byte position is a typed error, never a crash or a shorter value.
    @Test(arguments: truncationRequests)
    func truncatedRequest(request: AdminRequest) {
        let whole = payload(ofFrame: requestFrame(request)).bytes
        for cut in 0..<whole.count {
            var prefix = buffer(Array(whole[..<cut]))
            #expect(throws: AdminProtocolError.self, "cut at \(cut) of \(whole.count)") {
                try AdminFrame.decodeRequest(payload: &prefix)
            }
        }
    }

    /// A response payload cut at any byte position is a typed error.
    @Test(arguments: truncationResponses)
    func truncatedResponse(response: AdminResponse) {
        let whole = payload(ofFrame: responseFrame(response)).bytes
        for cut in 0..<whole.count {
            var prefix = buffer(Array(whole[..<cut]))
            #expect(throws: AdminProtocolError.self, "cut at \(cut) of \(whole.count)") {
                try AdminFrame.decodeResponse(payload: &prefix, expecting: response.apiKey)
            }
        }
    }

    /// A push payload cut at any byte position is a typed error.
    @Test(arguments: Samples.events)
    func truncatedPush(event: SubscriptionEvent) {
        let whole = payload(ofFrame: AdminFrame.encodePush(subscriptionId: 1, event: event)).bytes
        for cut in 0..<whole.count {
            var prefix = buffer(Array(whole[..<cut]))
            #expect(throws: AdminProtocolError.self, "cut at \(cut)") { try AdminFrame.decodePush(payload: &prefix) }
        }
    }

    /// Array counts that cannot fit in the bytes left are refused before allocating, naming the field.
    @Test(arguments: [
        (ApiKey.listTopics, be(UInt32.max), "ListTopicsResponse.topics"),
        (.listTopics, be(UInt32(2)) + Array(repeating: 0, count: 69), "ListTopicsResponse.topics"),
        (
            .fetch, be(Int64(0)) + be(Int64(0)) + be(UInt32(1_000_000)) + Array(repeating: 0, count: 100),
            "FetchResponse.records"
        ),
        (.produce, be(UInt32(0x7FFF_FFFF)), "ProduceResponse.results"),
        (
            .describeGroup,
            wireString("g") + wireString("s") + be(Int32(0)) + wireString("") + wireString("")
                + be(UInt32(0x4000_0000)), "DescribeGroupResponse.members"
        ),
    ])
    func countLargerThanRemainingBytes(api: ApiKey, body: [UInt8], field: String) {
        var payload = buffer(be(UInt32(1)) + [0, 0, 0, 0, 0] + body)
        let error = #expect(throws: AdminProtocolError.self) {
            try AdminFrame.decodeResponse(payload: &payload, expecting: api)
        }
        #expect(malformedReason(error)?.hasPrefix(field + ":") == true, "\(String(describing: error))")
    }

    /// Nested counts and lengths too are checked, and the reason gives the path down to the field.
    @Test func nestedLengthPastTheEnd() {
        // ProduceRequest: topic "t", one record, partition 0, key of length 0x7FFFFFFF.
        var body = buffer(
            wireString("t") + be(UInt32(1)) + be(Int32(0)) + be(Int32.max) + Array(repeating: 0, count: 16))
        let error = #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(header: RequestHeader(api: .produce, apiVersion: 1, correlationId: 0), body: &body)
        }
        #expect(malformedReason(error)?.hasPrefix("ProduceRequest.records[0].key:") == true)
    }

    /// A string whose length runs past the end is malformed.
    @Test func stringLengthPastTheEnd() {
        var body = buffer([0xFF, 0xFF, 0x61, 0x62])
        let error = #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(
                header: RequestHeader(api: .deleteTopic, apiVersion: 1, correlationId: 0), body: &body)
        }
        #expect(malformedReason(error)?.hasPrefix("DeleteTopicRequest.name:") == true)
    }

    /// nullable_bytes lengths below -1 are malformed.
    @Test(arguments: [Int32(-2), Int32.min])
    func negativeBytesLength(length: Int32) {
        var body = buffer(wireString("t") + be(UInt32(1)) + be(Int32(0)) + be(length) + Array(repeating: 0, count: 20))
        let error = #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(header: RequestHeader(api: .produce, apiVersion: 1, correlationId: 0), body: &body)
        }
        #expect(malformedReason(error)?.contains("records[0].key") == true)
    }

    /// Strings that are not valid UTF-8 are malformed (bad continuation, overlong, surrogate, stray byte).
    @Test(
        arguments: [
            [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x61, 0xFF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
        ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        var body = buffer(be(UInt16(bytes.count)) + bytes)
        let error = #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(
                header: RequestHeader(api: .describeTopic, apiVersion: 1, correlationId: 0), body: &body)
        }
        #expect(malformedReason(error)?.contains("not valid UTF-8") == true)
        #expect(malformedReason(error)?.hasPrefix("DescribeTopicRequest.name:") == true)
    }

    /// Invalid UTF-8 inside a string array names the element.
    @Test func invalidUTF8InArray() {
        var body = buffer(wireString("t") + be(UInt32(0)) + be(UInt32(2)) + wireString("ok") + [0x00, 0x01, 0x80])
        let error = #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(
                header: RequestHeader(api: .alterTopicConfig, apiVersion: 1, correlationId: 0), body: &body)
        }
        #expect(malformedReason(error)?.hasPrefix("AlterTopicConfigRequest.delete[1]:") == true)
    }

    /// A bool byte other than 0 or 1 is malformed.
    @Test(arguments: [UInt8(2), 0x80, 0xFF])
    func boolOutOfRange(byte: UInt8) {
        var body = buffer([byte])
        let error = #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(
                header: RequestHeader(api: .listTopics, apiVersion: 1, correlationId: 0), body: &body)
        }
        #expect(malformedReason(error)?.hasPrefix("ListTopicsRequest.includeInternal:") == true)
    }

    /// An optional's present flag is a bool too: 2 is malformed.
    @Test func optionalFlagOutOfRange() {
        var body = buffer(wireString("a") + wireString("b") + [0x02])
        #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(
                header: RequestHeader(api: .apiVersions, apiVersion: 1, correlationId: 0), body: &body)
        }
    }

    /// A request body with bytes after its last field is malformed.
    @Test(arguments: Samples.requests.filter { bodyBytes($0).count < 4096 })
    func trailingBytesInRequest(request: AdminRequest) {
        var body = buffer(bodyBytes(request) + [0x00])
        let error = #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(
                header: RequestHeader(api: request.apiKey, apiVersion: 1, correlationId: 0), body: &body)
        }
        #expect(malformedReason(error)?.contains("1 byte left over") == true)
    }

    /// A response body, an error response or a push with bytes after the last field is malformed.
    @Test func trailingBytesInResponses() {
        var response = buffer(payload(ofFrame: responseFrame(.deleteTopic(DeleteTopicResponse()))).bytes + [1, 2])
        #expect(throws: AdminProtocolError.self) {
            try AdminFrame.decodeResponse(payload: &response, expecting: .deleteTopic)
        }
        let error = AdminFrame.encodeResponse(correlationId: 1, error: (.invalidRequest, "x"), body: nil)
        var errorPayload = buffer(payload(ofFrame: error).bytes + [0])
        #expect(throws: AdminProtocolError.self) {
            try AdminFrame.decodeResponse(payload: &errorPayload, expecting: .deleteTopic)
        }
        var push = buffer(
            payload(ofFrame: AdminFrame.encodePush(subscriptionId: 1, event: .ended(reason: ""))).bytes + [0])
        #expect(throws: AdminProtocolError.self) { try AdminFrame.decodePush(payload: &push) }
    }

    /// An API key outside 0 … 23 is unknownApi, whatever the body.
    @Test(arguments: [UInt16(24), 1000, UInt16.max])
    func unknownApiKey(key: UInt16) {
        var body = buffer([1, 2, 3])
        let header = RequestHeader(apiKey: key, apiVersion: 1, correlationId: 5)
        #expect(header.api == nil)
        #expect(throws: AdminProtocolError.unknownApi(key: key)) {
            try AdminRequest.decode(header: header, body: &body)
        }
        #expect(AdminProtocolError.unknownApi(key: key).errorCode == .unknownApi)
    }

    /// A version outside an API's supported range is unsupportedVersion, checked before the body.
    @Test(arguments: [ApiKey.produce, .describeTopic, .unsubscribe], [UInt16(0), 2, UInt16.max])
    func unsupportedVersion(api: ApiKey, version: UInt16) {
        var body = buffer([])
        #expect(throws: AdminProtocolError.unsupportedVersion(apiKey: api, version: version)) {
            try AdminRequest.decode(header: RequestHeader(api: api, apiVersion: version, correlationId: 0), body: &body)
        }
    }

    /// Fetch, Subscribe and Search have versions 1 and 2 (section 4.10): 0 and 3 are unsupported.
    @Test(arguments: [ApiKey.fetch, .subscribe, .search], [UInt16(0), 3, UInt16.max])
    func unsupportedVersionOfATwoVersionApi(api: ApiKey, version: UInt16) {
        var body = buffer([])
        #expect(throws: AdminProtocolError.unsupportedVersion(apiKey: api, version: version)) {
            try AdminRequest.decode(header: RequestHeader(api: api, apiVersion: version, correlationId: 0), body: &body)
        }
    }

    /// ApiVersions of any version is read by its v1 fields; a newer version's appended fields are skipped.
    @Test func apiVersionsAnyVersion() throws {
        let request = ApiVersionsRequest(clientName: "future", clientVersion: "9.0", authToken: nil)
        var v1 = ByteBuffer()
        request.encode(into: &v1)
        var newer = buffer(v1.bytes + [0xAA, 0xBB, 0xCC])
        let decoded = try AdminRequest.decode(
            header: RequestHeader(api: .apiVersions, apiVersion: 7, correlationId: 0), body: &newer)
        #expect(decoded == .apiVersions(request))
        #expect(newer.readableBytes == 0)
        // At v1 itself, trailing bytes are still malformed.
        var strict = buffer(v1.bytes + [0xAA])
        #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(
                header: RequestHeader(api: .apiVersions, apiVersion: 1, correlationId: 0), body: &strict)
        }
    }

    /// Unknown wire kinds (fetch start, reset target, heartbeat status, event, frame kind) are malformed.
    @Test func unknownKinds() {
        var fetch = buffer(wireString("t") + be(Int32(0)) + [5] + be(Int64(0)) + be(Int32(1)) + be(Int32(1)))
        #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(header: RequestHeader(api: .fetch, apiVersion: 1, correlationId: 0), body: &fetch)
        }
        var reset = buffer(wireString("g") + be(UInt32(0)) + [9] + be(Int64(0)) + [0])
        #expect(throws: AdminProtocolError.self) {
            try AdminRequest.decode(
                header: RequestHeader(api: .resetGroupOffsets, apiVersion: 1, correlationId: 0), body: &reset)
        }
        var heartbeat = buffer([3] + be(Int32(0)) + be(UInt32(0)))
        #expect(throws: AdminProtocolError.self) { try AdminResponse.decode(apiKey: .heartbeat, body: &heartbeat) }
        var push = buffer(be(UInt32(1)) + [1, 0, 0, 0, 0] + [3])
        #expect(throws: AdminProtocolError.self) { try AdminFrame.decodePush(payload: &push) }
        var kind = buffer(be(UInt32(1)) + [2, 0, 0, 0, 0])
        let error = #expect(throws: AdminProtocolError.self) { try AdminFrame.peekResponseHeader(payload: kind) }
        #expect(malformedReason(error)?.hasPrefix("ResponseHeader.kind:") == true)
        #expect(throws: AdminProtocolError.self) {
            try AdminFrame.decodeResponse(payload: &kind, expecting: .deleteTopic)
        }
    }

    /// An ApiVersions response whose role is neither 0 (admin) nor 1 (read-only) is malformed.
    @Test(arguments: [UInt8(2), 0xFF])
    func unknownRole(role: UInt8) {
        var body = buffer(wireString("0.1.0") + be(UInt32(1024)) + be(UInt32(0)) + [role])
        let error = #expect(throws: AdminProtocolError.self) {
            try AdminResponse.decode(apiKey: .apiVersions, body: &body)
        }
        #expect(malformedReason(error)?.contains("role: \(role) is not") == true)
    }

    /// A push where a response is expected, a response where a push is expected, or a push with an error is malformed.
    @Test func kindMismatches() {
        var push = payload(ofFrame: AdminFrame.encodePush(subscriptionId: 1, event: .ended(reason: "x")))
        #expect(throws: AdminProtocolError.self) {
            try AdminFrame.decodeResponse(payload: &push, expecting: .subscribe)
        }
        var response = payload(ofFrame: responseFrame(.unsubscribe(UnsubscribeResponse())))
        #expect(throws: AdminProtocolError.self) { try AdminFrame.decodePush(payload: &response) }
        var pushWithError = buffer(be(UInt32(1)) + [1] + be(Int16(3)) + wireString("") + [2] + wireString(""))
        #expect(throws: AdminProtocolError.self) { try AdminFrame.decodePush(payload: &pushWithError) }
    }

    /// A response header with an error code this codec does not know still decodes, with a readable message.
    @Test func unknownErrorCodeDecodes() throws {
        var payload = buffer(be(UInt32(3)) + [0] + be(Int16(4242)) + wireString(""))
        let (header, body) = try AdminFrame.decodeResponse(payload: &payload, expecting: .listGroups)
        #expect(body == nil)
        #expect(header.errorCode == 4242)
        #expect(header.knownErrorCode == nil)
        #expect(header.displayMessage.contains("4242"))
    }
}
