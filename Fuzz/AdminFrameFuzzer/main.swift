// libFuzzer entry point for the admin frame decoder (scripts/fuzz builds it together with the
// AdminProtocol sources). Arbitrary bytes must produce values or thrown AdminProtocolErrors; a trap,
// a sanitizer report or a decoded value that does not re-encode stably is a bug.

import NIOCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    // The first byte picks the chunk size the stream arrives in (1 to 256 bytes), so the
    // incremental decoder sees frames split at every position.
    let chunkSize = Int(first) + 1
    let stream = bytes.dropFirst()
    var decoder = AdminFrameDecoder(maxFrameBytes: 1 << 20)
    var start = stream.startIndex
    while start < stream.endIndex {
        let end = min(start + chunkSize, stream.endIndex)
        let frames: [ByteBuffer]
        do {
            frames = try decoder.feed(ByteBuffer(bytes: stream[start..<end]))
        } catch {
            break
        }
        for payload in frames { decodeEverything(payload) }
        start = end
    }
    return 0
}

/// Reads `payload` as a request, as a response to every API and as a push. Whatever decodes must
/// re-encode to a frame that decodes and re-encodes to the same bytes (bytes, not values: a NaN
/// rate is not equal to itself).
func decodeEverything(_ payload: ByteBuffer) {
    var request = payload
    if let (header, decoded) = try? AdminFrame.decodeRequest(payload: &request) {
        let encode = { (value: AdminRequest) in
            AdminFrame.encodeRequest(value, version: header.apiVersion, correlationId: header.correlationId)
        }
        let frame = encode(decoded)
        var again = frame
        guard var reread = try? AdminFrameDecoder.decodeFrame(from: &again),
            let (_, value) = try? AdminFrame.decodeRequest(payload: &reread)
        else { fatalError("a decoded \(decoded.apiKey) request does not decode after re-encoding") }
        precondition(encode(value) == frame, "a decoded \(decoded.apiKey) request changes when re-encoded")
    }
    _ = try? AdminFrame.peekResponseHeader(payload: payload)
    for api in ApiKey.allCases {
        for version in api.supportedVersions { decodeResponse(payload, api: api, version: version) }
    }
    // Pushes of subscriptions opened at Subscribe/Search v1 and v2.
    for version in ApiKey.subscribe.supportedVersions {
        var push = payload
        guard let (subscriptionId, event) = try? AdminFrame.decodePush(payload: &push, version: version) else {
            continue
        }
        let frame = AdminFrame.encodePush(subscriptionId: subscriptionId, event: event, version: version)
        var again = frame
        guard var reread = try? AdminFrameDecoder.decodeFrame(from: &again),
            let (_, value) = try? AdminFrame.decodePush(payload: &reread, version: version)
        else { fatalError("a decoded v\(version) push does not decode after re-encoding") }
        precondition(
            AdminFrame.encodePush(subscriptionId: subscriptionId, event: value, version: version) == frame,
            "a decoded v\(version) push changes when re-encoded")
    }
}

/// Reads `payload` as a response to a request of `api` at `version`; what decodes must re-encode stably.
func decodeResponse(_ payload: ByteBuffer, api: ApiKey, version: UInt16) {
    var response = payload
    guard let (header, body) = try? AdminFrame.decodeResponse(payload: &response, expecting: api, version: version),
        let body
    else { return }
    let encode = { (value: AdminResponse) in
        AdminFrame.encodeResponse(correlationId: header.correlationId, error: nil, body: value, version: version)
    }
    let frame = encode(body)
    var again = frame
    guard var reread = try? AdminFrameDecoder.decodeFrame(from: &again),
        let (_, value) = try? AdminFrame.decodeResponse(payload: &reread, expecting: api, version: version),
        let value
    else { fatalError("a decoded \(api) v\(version) response does not decode after re-encoding") }
    precondition(encode(value) == frame, "a decoded \(api) v\(version) response changes when re-encoded")
}
